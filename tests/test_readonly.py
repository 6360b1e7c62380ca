"""Read-only stores: verify, list, status, export and head read a store on a
read-only file or in a read-only folder; commands that write say so in one line. Run as a
non-root user (root may write anywhere), by dropping to `nobody` when the suite runs as root."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEED_ARTICLE

ROOT = Path(__file__).resolve().parents[1]
NOBODY = 65534


def as_non_root() -> list[str]:
    """The prefix that runs a command as `nobody` when we are root (util-linux's setpriv)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot test as a non-root user")
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_DB"}
    return subprocess.run(
        [*as_non_root(), sys.executable, "-m", "tracker.cli.app", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**env, "HOME": "/tmp"},
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def filled() -> Iterator[Path]:
    """A store with the seed article, built by this (possibly root) process."""
    work = Path(tempfile.mkdtemp(prefix="tracker-ro-"))
    os.chmod(work, 0o755)
    db = work / "built.db"
    done = subprocess.run(
        [sys.executable, "-m", "tracker.cli.app", "ingest", str(SEED_ARTICLE), "--db", str(db)],
        capture_output=True, text=True, cwd=ROOT, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    yield db
    for path in work.rglob("*"):
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(work)


@pytest.fixture(params=["read-only folder", "read-only file"])
def readonly_store(request, filled: Path) -> Path:  # type: ignore[no-untyped-def]
    folder = filled.parent / request.param.replace(" ", "-")
    folder.mkdir(exist_ok=True)
    db = folder / "talks.db"
    shutil.copy(filled, db)
    db.chmod(0o444)
    folder.chmod(0o555 if request.param == "read-only folder" else 0o777)
    return db


def test_reading_commands_work_on_a_read_only_store(readonly_store: Path, tmp_path_factory):
    db = str(readonly_store)
    before = sorted(p.name for p in readonly_store.parent.iterdir())
    verified = run("verify", "--db", db)
    assert verified.returncode == 0 and "chain intact" in verified.stderr, verified.stderr
    listed = run("list", "--format", "json", "--db", db)
    assert listed.returncode == 0 and "proposal.made" in listed.stdout, listed.stderr
    status = run("status", "--db", db)
    assert status.returncode == 0 and "proposal pending" in status.stdout, status.stderr
    head = run("head", "--db", db)
    assert head.returncode == 0 and head.stdout.startswith("9:"), head.stderr
    out = Path(tempfile.mkdtemp(prefix="tracker-ro-out-"))
    os.chmod(out, 0o777)
    try:
        exported = run("export", "--out-dir", str(out), "--db", db)
        assert exported.returncode == 0, exported.stderr
        assert (out / "israel-hamas-ceasefire.json").stat().st_size > 0
    finally:
        shutil.rmtree(out)
    assert sorted(p.name for p in readonly_store.parent.iterdir()) == before  # nothing left


@pytest.mark.parametrize(
    "command",
    [
        (
            "add",
            "proposal.made",
            "--actor",
            "Israel",
            "--negotiation",
            "n1",
            "--create",
            "--evidence",
            "x.",
        ),
        ("rebuild",),
        ("feeds", "add", str(ROOT / "seeds" / "feed.xml")),
    ],
)
def test_writing_commands_say_the_store_is_read_only(readonly_store: Path, command):
    result = run(*command, "--db", str(readonly_store))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    assert "is read-only" in lines[0] and "unexpected" not in lines[0]

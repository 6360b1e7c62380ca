"""events/ and migrations/ reach an installed wheel, not only a checkout."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_wheel_installs_and_initialises_a_store(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next(dist.glob("tracker-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    # The fresh venv gets the wheel itself; its dependencies come from the test environment's
    # site-packages (a .pth line), so the test needs no network. The checkout's own package
    # is not on that path: the editable install's hook is not read through a .pth directory.
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True)

    where = subprocess.run(
        [str(py), "-c", "import tracker.resources as r; print(r.data_dir('migrations'))"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert where.startswith(str(venv)), where

    db = tmp_path / "installed.db"
    done = subprocess.run(
        [str(venv / "bin" / "tracker"), "init", "--db", str(db)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] >= 1
    schema = subprocess.run(
        [str(venv / "bin" / "tracker"), "schema", "--check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert schema.returncode == 0, schema.stderr

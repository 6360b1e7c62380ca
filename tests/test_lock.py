"""requirements.lock, which `make` installs from, pins every dependency pyproject.toml names,
at a version its range allows, each with hashes: a stale lock fails here, not on a new machine.
requirements-bench.lock does the same for the bench extra (eventsourcing, exactly), which
`make bench` alone installs: it agrees with requirements.lock on every package both pin."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _pins(lock: str = "requirements.lock") -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) for each pinned package; a package pinned per Python version
    (a marker) keeps its first pin, the one for the oldest supported Python."""
    pins: dict[str, tuple[str, list[str]]] = {}
    current: list[str] | None = None
    for line in (ROOT / lock).read_text().splitlines():
        match = PIN.match(line)
        if match:
            name = canonicalize_name(match.group(1))
            current = []
            pins.setdefault(name, (match.group(2), current))
        elif line.strip().startswith("--hash=sha256:") and current is not None:
            current.append(line.strip().removesuffix("\\").strip())
    return pins


def _declared(extra: str = "test") -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [
        Requirement(r) for r in project["dependencies"] + project["optional-dependencies"][extra]
    ]


def test_every_declared_dependency_is_pinned_within_its_range() -> None:
    pins = _pins()
    for req in _declared():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in requirements.lock; run `make lock`"
        version = pins[name][0]
        assert req.specifier.contains(version, prereleases=True), (
            f"requirements.lock pins {req.name}=={version}, outside {req.specifier}; "
            "run `make lock`"
        )


def test_every_pin_carries_hashes() -> None:
    pins = _pins()
    assert len(pins) > 50  # the runtime and the test extras, with what they pull in
    assert all(hashes for _, hashes in pins.values()), [n for n, (_, h) in pins.items() if not h]


def test_the_makefile_installs_from_the_lock_and_nothing_else() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r $(LOCK)" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile
    assert "LOCK := requirements.lock" in makefile


def test_the_bench_extra_is_locked_apart_exactly_and_only_make_bench_installs_it() -> None:
    bench = [Requirement(r) for r in _project()["optional-dependencies"]["bench"]]
    assert [(r.name, str(r.specifier)) for r in bench] == [("eventsourcing", "==9.5.6")]
    pins, main = _pins("requirements-bench.lock"), _pins()
    for req in _declared("bench"):
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in requirements-bench.lock; run `make lock`"
        assert req.specifier.contains(pins[name][0], prereleases=True), "run `make lock`"
    assert all(hashes for _, hashes in pins.values())
    assert "eventsourcing" not in main  # bench-only: the tests and the runtime go without it
    assert "psycopg-pool" in pins  # eventsourcing's postgres extra, for bench/pg.py
    differ = [n for n in pins.keys() & main.keys() if pins[n][0] != main[n][0]]
    assert not differ, f"requirements-bench.lock and requirements.lock disagree on {differ}"
    makefile = (ROOT / "Makefile").read_text()
    assert "BENCH_LOCK := requirements-bench.lock" in makefile
    assert "--require-hashes -r $(BENCH_LOCK)" in makefile
    assert "[bench]" not in makefile  # no unhashed install of the extra from the index


def _project() -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project

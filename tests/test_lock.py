"""requirements.lock, which `make` installs from, pins every dependency pyproject.toml names,
at a version its range allows, each with hashes: a stale lock fails here, not on a new machine."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _pins() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) for each pinned package; a package pinned per Python version
    (a marker) keeps its first pin, the one for the oldest supported Python."""
    pins: dict[str, tuple[str, list[str]]] = {}
    current: list[str] | None = None
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = PIN.match(line)
        if match:
            name = canonicalize_name(match.group(1))
            current = []
            pins.setdefault(name, (match.group(2), current))
        elif line.strip().startswith("--hash=sha256:") and current is not None:
            current.append(line.strip().removesuffix("\\").strip())
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [
        Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]
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

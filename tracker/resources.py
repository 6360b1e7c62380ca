"""Where the data directories are: in a checkout they sit beside the package; an installed
wheel carries them inside it, under tracker/_data/ (see pyproject.toml)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The directory `events`, `migrations` or `seeds`, wherever this install keeps it."""
    for candidate in (PACKAGE_DIR / "_data" / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"data directory {name!r} not found beside {PACKAGE_DIR}")

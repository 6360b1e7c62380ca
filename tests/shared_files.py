"""The files beside the project in ../shared (feed corpus, dev news corpus, scorer) that a few
tests read. A clone without them skips those tests with one line; under CI=true, where
../shared is always laid beside the checkout, a missing file fails the run instead."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def shared(relative: str) -> Path:
    """The path under ../shared, or skip (fail under CI) when it is not there."""
    path = SHARED / relative
    if not path.exists():
        why = f"needs {path} (../shared is not beside this checkout)"
        if os.environ.get("CI") == "true":
            pytest.fail(why, pytrace=False)
        pytest.skip(why, allow_module_level=True)
    return path

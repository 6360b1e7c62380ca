"""events/catalog.toml: the vocabulary as data (descriptions, PLOVER/CAMEO codes, triggers)."""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any

from tracker.resources import data_dir


@cache
def load_catalog() -> dict[str, dict[str, Any]]:
    with (data_dir("events") / "catalog.toml").open("rb") as handle:
        types: dict[str, dict[str, Any]] = tomllib.load(handle)["types"]
    return types

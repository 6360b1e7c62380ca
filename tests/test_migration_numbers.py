"""Migration numbers are unique and rising; gaps are allowed (ranges are handed to branches
that land in any order), a repeated number is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.errors import StoreError
from tracker.store.migrate import available


def test_a_gap_in_the_numbers_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("CREATE TABLE a (x);")
    (tmp_path / "0020_b.sql").write_text("CREATE TABLE b (x);")
    assert [m.version for m in available(tmp_path)] == [1, 20]


def test_a_repeated_number_is_refused(tmp_path: Path) -> None:
    (tmp_path / "0002_a.sql").write_text("CREATE TABLE a (x);")
    (tmp_path / "0002_b.sql").write_text("CREATE TABLE b (x);")
    with pytest.raises(StoreError, match="not numbered uniquely"):
        available(tmp_path)


def test_the_shipped_migrations_include_the_notifications_table() -> None:
    names = [f"{m.version:04d}_{m.name}" for m in available()]
    assert "0020_notifications" in names

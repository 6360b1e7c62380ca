"""Migrations: applied in order, each in a transaction, recorded; a newer schema is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tracker.errors import SchemaTooNewError, StoreError
from tracker.store import open_store
from tracker.store.migrate import Migration, available, migrate


def test_every_migration_is_recorded_once(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    open_store(path).close()
    open_store(path).close()  # reopening applies nothing twice
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert rows == [(m.version, m.name) for m in available()]


def test_a_database_newer_than_the_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNewError, match="version 999, newer than this tracker"):
        open_store(path)


def test_a_failing_migration_leaves_no_trace(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "s.db", isolation_level=None)
    good = Migration(1, "good", "CREATE TABLE a (x INTEGER);")
    bad = Migration(2, "bad", "CREATE TABLE b (x INTEGER);\nINSERT INTO nowhere VALUES (1);")
    with pytest.raises(StoreError, match="migration 0002_bad failed"):
        migrate(conn, [good, bad])
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "a" in tables and "b" not in tables
    assert [r[0] for r in conn.execute("SELECT version FROM schema_migrations")] == [1]


@pytest.mark.parametrize("content", [b"these are my notes, not a database" * 100, b"x"])
def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="cannot open store"):
        open_store(path)
    assert path.read_bytes() == content  # left as it was

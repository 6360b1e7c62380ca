"""Apply migrations/NNNN_name.sql in order, each in its own transaction, and record them.
SQLite's are migrations/*.sql; PostgreSQL's are migrations/postgresql/*.sql (pg_migrate.py)."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tracker.errors import SchemaTooNewError, StoreError
from tracker.resources import data_dir

MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def available(directory: Path | None = None) -> list[Migration]:
    directory = directory or data_dir("migrations")
    found = []
    for path in sorted(directory.iterdir()):
        match = MIGRATION_NAME.match(path.name)
        if match:
            found.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    # Numbers are unique, from 1; gaps are allowed, because ranges of numbers are handed to
    # branches that land in any order (a store records each version it applied).
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions) or (versions and versions[0] != 1):
        raise StoreError(f"migrations in {directory} are not numbered uniquely from 1: {versions}")
    return found


def applied_versions(conn: sqlite3.Connection) -> list[int]:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    return [row[0] for row in conn.execute("SELECT version FROM schema_migrations ORDER BY 1")]


def migrate(conn: sqlite3.Connection, migrations: list[Migration] | None = None) -> list[int]:
    """Bring the schema up to date; return the versions applied now. `conn` is in autocommit
    mode (isolation_level=None), so each migration's BEGIN/COMMIT is our own."""
    migrations = available() if migrations is None else migrations
    done = applied_versions(conn)
    refuse_newer(done, migrations)
    applied = []
    for migration in migrations:
        if migration.version in done:
            continue
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            conn.execute("BEGIN IMMEDIATE")
            # Another process may have migrated while we waited for the lock.
            if conn.execute(
                "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
            ).fetchone():
                conn.execute("ROLLBACK")
                continue
            for statement in split_statements(migration.sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, stamp),
            )
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            name = f"{migration.version:04d}_{migration.name}"
            raise StoreError(f"migration {name} failed: {exc}") from exc
        applied.append(migration.version)
    return applied


def refuse_newer(done: list[int], migrations: list[Migration]) -> None:
    """A schema migrated by a newer tracker is refused rather than misread."""
    newest_known = migrations[-1].version if migrations else 0
    if done and done[-1] > newest_known:
        raise SchemaTooNewError(
            f"database schema is at version {done[-1]}, newer than this tracker knows "
            f"({newest_known}); upgrade tracker to open it"
        )


def split_statements(sql: str) -> list[str]:
    """Split a migration into statements; sqlite3.complete_statement keeps triggers whole."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise StoreError(f"migration has an unterminated statement: {buffer.strip()[:60]!r}")
    return statements

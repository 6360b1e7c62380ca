"""Apply migrations/postgresql/NNNN_name.sql in order, each in its own transaction, recorded in
schema_migrations as on SQLite. An advisory lock serialises trackers that open a new database
at the same moment: the second waits, then finds the work done. A store already up to date is
only read, so a role that may not change the schema (tracker/store/pg_roles.py) opens it."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg

from tracker.errors import StoreError
from tracker.resources import data_dir
from tracker.store.migrate import Migration, available, refuse_newer

MIGRATE_LOCK = 0x7472_6B6D  # "trkm": any constant this database's other users do not take


def pg_migrations() -> list[Migration]:
    return available(data_dir("migrations") / "postgresql")


def migrate(conn: psycopg.Connection, migrations: list[Migration] | None = None) -> list[int]:
    """Bring the schema up to date; return the versions applied now. `conn` is in autocommit
    mode; each migration runs in a transaction of its own."""
    migrations = pg_migrations() if migrations is None else migrations
    if _up_to_date(conn, migrations):
        return []  # nothing to write: a role that may not create tables opens the store too
    applied = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
    for migration in migrations:
        name = f"{migration.version:04d}_{migration.name}"
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
                done = [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]
                refuse_newer(sorted(done), migrations)
                if migration.version in done:
                    continue
                conn.execute(migration.sql.encode())  # no parameters: several statements
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s,%s,%s)",
                    (migration.version, migration.name, _now()),
                )
        except psycopg.Error as exc:
            raise StoreError(f"migration postgresql/{name} failed: {first_line(exc)}") from exc
        applied.append(migration.version)
    if applied:
        from tracker.store.pg_roles import regrant

        try:
            with conn.transaction():
                regrant(conn)  # the roles granted the store get the new tables too
        except psycopg.Error as exc:
            raise StoreError(f"granting the new tables failed: {first_line(exc)}") from exc
    return applied


def _up_to_date(conn: psycopg.Connection, migrations: list[Migration]) -> bool:
    if conn.execute("SELECT to_regclass('schema_migrations')").fetchone() == (None,):
        return False
    done = sorted(r[0] for r in conn.execute("SELECT version FROM schema_migrations"))
    refuse_newer(done, migrations)
    return not {m.version for m in migrations} - set(done)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def first_line(exc: BaseException) -> str:
    """A database error's first line, for a one-line message."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]

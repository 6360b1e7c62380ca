"""The append-only event store: an interface and its implementations (SQLite, the embedded
default; PostgreSQL, chosen by a postgresql:// URL; in memory, for tests)."""

from __future__ import annotations

import re
from pathlib import Path

from tracker.errors import StoreError
from tracker.store.base import AppendResult, EventStore, NewEvent, StoredEvent, VerifyReport
from tracker.store.sqlite import SQLiteEventStore, open_store

URL_SCHEMES = ("postgresql://", "postgres://")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(location: str | Path) -> bool:
    """A PostgreSQL URL rather than a SQLite file name (the scheme in any case)."""
    return isinstance(location, str) and location.lower().startswith(URL_SCHEMES)


def open_recorder(location: str | Path, create: bool = True, write: bool = True) -> EventStore:
    """The store at `location`: a postgresql:// URL or a SQLite file. psycopg is imported only
    when a URL is given, so the embedded default does not pay for it."""
    if is_url(location):
        from tracker.store.postgres import open_pg_store

        return open_pg_store(str(location), create=create)
    if isinstance(location, str) and _SCHEME.match(location):
        scheme = location.split("://", 1)[0]
        raise StoreError(f"--db {scheme}://...: not a store; use a file path or postgresql://")
    return open_store(location, create=create, write=write)


def grant(store: EventStore, role: str) -> None:
    """Let `role` use a PostgreSQL store with no right to change its log
    (tracker/store/pg_roles.py); a SQLite file's rights are the file system's."""
    from tracker.store.postgres import PostgresEventStore

    if not isinstance(store, PostgresEventStore):
        raise StoreError(f"{store.path}: roles are for a PostgreSQL store, not a SQLite file")
    store.grant(role)


__all__ = [
    "AppendResult",
    "EventStore",
    "NewEvent",
    "SQLiteEventStore",
    "StoredEvent",
    "VerifyReport",
    "grant",
    "is_url",
    "open_recorder",
    "open_store",
]

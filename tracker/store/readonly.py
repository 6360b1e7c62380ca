"""The store opened read-only, for the dashboard: SQLite itself refuses any write on this
connection (`mode=ro`), and PostgreSQL on a connection whose transactions are all READ ONLY,
so serving pages can never change the log or the read models.

Not the same as tracker/store/access.py's open_copy, which reads a store the user may not
write (a read-only file or folder) into memory, where the read models may catch up: this is a
live connection to a store that other processes go on writing, opened per request, and never
migrated or folded. On a read-only file it falls back to open_copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from tracker.errors import SchemaTooNewError, StoreError
from tracker.store import access, is_url
from tracker.store.base import EventStore
from tracker.store.migrate import available
from tracker.store.sqlite import BUSY_TIMEOUT_S, SQLiteEventStore


def open_read_only(location: str | Path) -> EventStore:
    """The store at a file or a postgresql:// URL, read-only."""
    if is_url(location):
        from tracker.store.postgres import open_pg_read_only

        return open_pg_read_only(str(location))
    return _sqlite_read_only(Path(location))


def _sqlite_read_only(path: Path) -> SQLiteEventStore:
    if not path.is_file():
        what = "a directory, not a store file" if path.is_dir() else "not there"
        raise StoreError(f"no store at {path} ({what}); run `tracker init --db {path}` first")
    if not access.writable(path):
        # SQLite cannot keep the WAL's shared memory beside a file it may not write: read
        # it as every reading command does, a copy in memory (taken again on each open)
        return access.open_copy(path)
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        done = [row[0] for row in conn.execute("SELECT version FROM schema_migrations")]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open store {path} read-only: {exc}") from None
    newest = max((m.version for m in available()), default=0)
    if done and max(done) > newest:
        conn.close()
        raise SchemaTooNewError(
            f"database schema is at version {max(done)}, newer than this tracker knows "
            f"({newest}); upgrade tracker to open it"
        )
    if {m.version for m in available()} - set(done):  # numbers may have gaps
        conn.close()
        raise StoreError(f"store {path} needs migrating first: run `tracker init --db {path}`")
    return SQLiteEventStore(conn, path)

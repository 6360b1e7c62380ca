"""How a store may be used: read-only files and folders are read as a copy in memory, and a
store that failed `tracker verify`, or lost its append-only triggers, refuses writes.

`tracker verify` leaves a one-line note beside a store it found damaged (`<store>-damaged`)
and removes it once the store verifies again; the note is what lets every later write refuse
without each one re-running SQLite's whole-file integrity check."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from tracker.errors import StoreError
from tracker.store.migrate import migrate
from tracker.store.sqlite import SQLiteEventStore, missing_guards


def writable(path: Path) -> bool:
    """SQLite in WAL mode writes the file and, beside it, the -wal and -shm files."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def open_copy(path: Path) -> SQLiteEventStore:
    """The store read into memory from a read-only file: what it holds, nothing written back.
    With no -wal file beside it (a store closed cleanly), no writer is at work on it, so it
    is opened immutable: SQLite then leaves no -wal or -shm file beside it either."""
    immutable = not path.with_name(path.name + "-wal").exists()
    uri = f"file:{quote(str(path.resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")
    try:
        source = sqlite3.connect(uri, uri=True)
        try:
            copy = sqlite3.connect(":memory:", isolation_level=None)
            source.backup(copy)
        finally:
            source.close()
        migrate(copy)  # in memory only: an older store still reads
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot read store {path}: {exc}") from exc
    return SQLiteEventStore(copy, path, read_only=True)


def marker(path: Path) -> Path:
    return path.with_name(path.name + "-damaged")


def check_writes_allowed(store: SQLiteEventStore) -> None:
    note = marker(store.path)
    if note.exists():
        reason = note.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        raise StoreError(
            f"store {store.path} failed `tracker verify` ({reason[0] if reason else 'damaged'});"
            f" writes refused until `tracker verify --db {store.path}` passes"
        )
    missing = missing_guards(store.conn)
    if missing:
        raise StoreError(
            f"store {store.path}: {missing[0]}; writes refused; "
            f"run `tracker verify --db {store.path}`"
        )


def record_verdict(path: Path, problem: str | None) -> None:
    """Leave (or clear) the note that makes writes refuse. Best effort: a read-only folder
    cannot take it, and the store there cannot be written anyway."""
    note = marker(path)
    try:
        if problem is None:
            note.unlink(missing_ok=True)
        else:
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            note.write_text(f"{problem}\nfound by tracker verify at {stamp}\n", encoding="utf-8")
    except OSError:
        pass

"""The eventsourcing library's SQLite application recorder (bench/append.py) and its
PostgreSQL one (bench/pg.py), driven like the tracker store: the same events (payload as JSON
bytes), the same batches, one aggregate per 10,000 events, read back in pages of 5,000 with
each payload decoded by orjson.

eventsourcing is a bench-only dependency: the `bench` extra, eventsourcing[postgres]==9.5.6
(its PostgreSQL recorder needs psycopg_pool), locked in requirements-bench.lock, which `make
bench` installs (`pip install --require-hashes -r requirements-bench.lock`). As shipped its SQLite
connections use WAL and SQLite's default synchronous=FULL (an fsync per commit); the tracker
store uses WAL and synchronous=NORMAL. `synchronous` picks which.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from tracker.store import NewEvent

PAGE = 5000


def available() -> bool:
    try:
        import eventsourcing.sqlite  # noqa: F401
    except ImportError:
        return False
    return True


def version() -> str:
    from importlib.metadata import version as installed

    return installed("eventsourcing")


def _recorder(path: Path, synchronous: str | None) -> Any:
    from eventsourcing.sqlite import (
        SQLiteApplicationRecorder,
        SQLiteConnectionPool,
        SQLiteDatastore,
    )

    class Pool(SQLiteConnectionPool):
        def _create_connection(self) -> Any:
            connection = super()._create_connection()
            if synchronous is not None:
                connection._sqlite_conn.execute(f"PRAGMA synchronous={synchronous}")
            return connection

    datastore = SQLiteDatastore(str(path))
    datastore.pool = Pool(db_name=str(path))
    recorder = SQLiteApplicationRecorder(datastore)
    recorder.create_table()
    return recorder


def synchronous_of(path: Path, synchronous: str | None) -> int:
    """The PRAGMA synchronous a recorder connection runs with (1 NORMAL, 2 FULL)."""
    recorder = _recorder(path, synchronous)
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute("PRAGMA synchronous")
        return int(cursor.fetchone()[0])


def json_bytes(event: NewEvent) -> bytes:
    """The payload as eventsourcing's JSONTranscoder would encode it (json, UTF-8)."""
    return json.dumps(
        event.payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def orjson_bytes(event: NewEvent) -> bytes:
    return orjson.dumps(event.payload, option=orjson.OPT_SORT_KEYS)


def append(
    path: Path,
    events: list[NewEvent],
    size: int,
    synchronous: str | None,
    encode: Callable[[NewEvent], bytes] = json_bytes,
) -> float:
    return _append(_recorder(path, synchronous), events, size, encode)


def read(path: Path) -> tuple[float, int]:
    return _read(_recorder(path, None))


# --- its PostgreSQL recorder (bench/pg.py), on the same server as the tracker's --------------


def pg_available() -> bool:
    try:
        import eventsourcing.postgres  # noqa: F401
    except ImportError:
        return False
    return True


def _pg_recorder(url: str) -> Any:
    """PostgresApplicationRecorder as shipped (one connection, its own table), on the database
    at `url` (a postgresql:// URL, a unix socket's folder as host= included)."""
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(url)
    datastore = PostgresDatastore(
        dbname=str(info.get("dbname", "")),
        host=str(info.get("host", "")),
        port=str(info.get("port", "5432")),
        user=str(info.get("user", "")),
        password=str(info.get("password", "")),
    )
    recorder = PostgresApplicationRecorder(datastore)
    recorder.create_table()
    return recorder


def pg_append(url: str, events: list[NewEvent], size: int) -> float:
    return _append(_pg_recorder(url), events, size)


def pg_read(url: str) -> tuple[float, int]:
    return _read(_pg_recorder(url))


def _append(
    recorder: Any,
    events: list[NewEvent],
    size: int,
    encode: Callable[[NewEvent], bytes] = json_bytes,
) -> float:
    from eventsourcing.persistence import StoredEvent

    streams: dict[int, uuid.UUID] = {}
    started = time.perf_counter()
    for start in range(0, len(events), size):
        aggregate = streams.setdefault(start // 10_000, uuid.uuid4())
        batch = [
            StoredEvent(aggregate, start + offset + 1, event.type, encode(event))
            for offset, event in enumerate(events[start : start + size])
        ]
        recorder.insert_events(batch)
    elapsed = time.perf_counter() - started
    recorder.datastore.close()
    return elapsed


def _read(recorder: Any) -> tuple[float, int]:
    started = time.perf_counter()
    count, start = 0, 1
    while True:
        page = recorder.select_notifications(start, PAGE)
        if not page:
            break
        for notification in page:
            orjson.loads(notification.state)
            count += 1
        start = page[-1].id + 1
    elapsed = time.perf_counter() - started
    recorder.datastore.close()
    return elapsed, count

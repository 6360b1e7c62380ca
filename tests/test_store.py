"""The store's invariants, written once against the EventStore interface and run for each
implementation: in memory, SQLite and PostgreSQL (a real server, tests/pg.py), as in
eventsourcing's tests/persistence.py. `backend` opens the same store again (a second client)
and runs raw SQL on it behind the recorder's back, as another user of the database would."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tracker.errors import ConflictError, DuplicateEventError
from tracker.store import EventStore, NewEvent, open_recorder
from tracker.store.base import NEW_STREAM
from tracker.store.memory import MemoryEventStore
from tracker.store.sqlite import SQLiteEventStore


@dataclass
class Backend:
    name: str
    open: Callable[[], EventStore]  # a new client of the same store
    sql: Callable[[str], None] | None = None  # raw SQL, None in memory
    tamper: Callable[[str], None] | None = None  # raw SQL with the append-only triggers off
    read: Callable[[], EventStore] | None = None  # a reading client (write=False); else open


def _sqlite(path: Path) -> Backend:
    def sql(statement: str, triggers: bool = True) -> None:
        conn = sqlite3.connect(path)
        try:
            if not triggers:
                conn.execute("DROP TRIGGER events_no_update")
                conn.execute("DROP TRIGGER events_no_delete")
            conn.execute(statement)
            conn.commit()
        finally:
            conn.close()

    return Backend(
        "sqlite",
        lambda: open_recorder(path),
        sql,
        lambda s: sql(s, triggers=False),
        lambda: open_recorder(path, write=False),  # a tampered store refuses writes
    )


def _postgres(url: str) -> Backend:
    def sql(statement: str, triggers: bool = True) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            if not triggers:
                conn.execute("ALTER TABLE events DISABLE TRIGGER USER")
            conn.execute(statement.encode())

    return Backend("postgresql", lambda: open_recorder(url), sql, lambda s: sql(s, False))


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "memory":
        shared = MemoryEventStore()
        yield Backend("memory", lambda: shared)
    elif request.param == "sqlite":
        yield _sqlite(tmp_path / "store.db")
    else:
        yield _postgres(request.getfixturevalue("pg_url"))


@pytest.fixture
def recorder(backend: Backend) -> Iterator[EventStore]:
    store = backend.open()
    yield store
    store.close()


def sql_backend(backend: Backend) -> Backend:
    if backend.sql is None:
        pytest.skip("the in-memory recorder has no database to refuse raw SQL")
    return backend


def batch(prefix: str, n: int) -> list[NewEvent]:
    return [NewEvent(f"{prefix}-{i}", "test.event", 1, {"n": i, "text": "é"}) for i in range(n)]


def test_append_assigns_global_positions_and_stream_versions(recorder: EventStore) -> None:
    first = recorder.append("a", batch("a", 3), NEW_STREAM)
    second = recorder.append("b", batch("b", 2), NEW_STREAM)
    third = recorder.append("a", batch("a2", 1), expected_version=3)
    assert first.positions == (1, 2, 3) and first.version == 3
    assert second.positions == (4, 5) and second.version == 2
    assert third.positions == (6,) and third.version == 4
    assert [(e.stream, e.version) for e in recorder.read_all()] == [
        ("a", 1),
        ("a", 2),
        ("a", 3),
        ("b", 1),
        ("b", 2),
        ("a", 4),
    ]
    assert [e.event_id for e in recorder.read_stream("a")] == ["a-0", "a-1", "a-2", "a2-0"]
    assert recorder.head() == 6


def test_conflicting_expected_version_is_refused_and_stores_nothing(
    recorder: EventStore,
) -> None:
    recorder.append("a", batch("a", 2), NEW_STREAM)
    with pytest.raises(ConflictError, match="at version 2, expected 1"):
        recorder.append("a", batch("late", 3), expected_version=1)
    with pytest.raises(ConflictError):
        recorder.append("a", batch("again", 1), NEW_STREAM)
    assert recorder.head() == 2
    assert recorder.stream_version("a") == 2


def test_same_batch_twice_is_stored_once(recorder: EventStore) -> None:
    events = batch("x", 4)
    recorder.append("x", events, NEW_STREAM)
    replay = recorder.append("x", events, NEW_STREAM)
    assert replay.replayed and replay.positions == (1, 2, 3, 4)
    assert recorder.head() == 4


def test_batch_mixing_stored_and_new_events_is_refused_whole(recorder: EventStore) -> None:
    recorder.append("x", batch("x", 2), NEW_STREAM)
    mixed = [*batch("x", 2), NewEvent("fresh", "test.event", 1, {})]
    with pytest.raises(DuplicateEventError):
        recorder.append("x", mixed, expected_version=None)
    assert recorder.get("fresh") is None


def test_a_large_batch_is_one_append_in_order(recorder: EventStore) -> None:
    # 301 events: on SQLite several INSERT statements (128 + 128 + 32 + 8 + 4 + 1 rows)
    events = batch("big", 301)
    result = recorder.append("big", events, NEW_STREAM)
    assert result.positions == tuple(range(1, 302)) and result.version == 301
    stored = list(recorder.read_all())
    assert [e.event_id for e in stored] == [e.event_id for e in events]
    assert [(e.position, e.version) for e in stored] == [(i, i) for i in range(1, 302)]
    assert [e.payload for e in stored] == [e.payload for e in events]
    assert recorder.verify().ok and recorder.verify().checked == 301


def test_payload_round_trips(recorder: EventStore) -> None:
    recorder.append("s", [NewEvent("e1", "t", 3, {"a": [1, 2], "b": None, "c": "ü"})], None)
    stored = recorder.get("e1")
    assert stored is not None
    assert stored.payload == {"a": [1, 2], "b": None, "c": "ü"}
    assert stored.schema_version == 3 and stored.type == "t" and stored.position == 1


def test_verify_accepts_an_intact_log(recorder: EventStore) -> None:
    for i in range(5):
        recorder.append(f"s{i}", batch(f"s{i}", 3), NEW_STREAM)
    report = recorder.verify()
    assert report.ok and report.checked == 15


def test_update_and_delete_are_refused_by_the_database(backend: Backend) -> None:
    sql_backend(backend)
    assert backend.sql is not None
    with backend.open() as store:
        store.append("s", batch("s", 2), NEW_STREAM)
    with pytest.raises(Exception, match="append-only: UPDATE refused"):
        backend.sql("UPDATE events SET payload = '{}' WHERE position = 1")
    with pytest.raises(Exception, match="append-only: DELETE refused"):
        backend.sql("DELETE FROM events WHERE position = 2")
    with backend.open() as store:
        assert store.head() == 2 and store.verify().ok


@pytest.mark.parametrize(
    ("sql", "broken"),
    [
        ("UPDATE events SET payload = '{\"n\": 99}' WHERE position = 4", 4),
        ("DELETE FROM events WHERE position = 3", 3),
        ("UPDATE events SET recorded_at = '2020-01-01' WHERE position = 6", 6),
    ],
)
def test_verify_names_the_first_broken_position(backend: Backend, sql: str, broken: int) -> None:
    sql_backend(backend)
    assert backend.tamper is not None
    with backend.open() as store:
        for i in range(3):
            store.append(f"s{i}", batch(f"s{i}", 2), NEW_STREAM)
    backend.tamper(sql)
    with (backend.read or backend.open)() as store:
        report = store.verify()
        assert store.integrity()  # the guards are gone or off
    assert report.first_broken == broken


def test_texts_are_kept_once_and_read_back(recorder: EventStore) -> None:
    digest = "a" * 64
    assert recorder.get_text(digest) is None
    recorder.put_text(digest, "Talks resumed in Cairo. é")
    recorder.put_text(digest, "something else")  # a text already kept is left as it is
    assert recorder.get_text(digest) == "Talks resumed in Cairo. é"
    assert recorder.integrity() == []
    recorder.append("s", batch("s", 2), NEW_STREAM)
    assert recorder.hash_at(2) == list(recorder.read_all())[-1].hash
    assert recorder.hash_at(3) is None


def test_texts_refuse_update_and_delete_in_the_database(backend: Backend) -> None:
    sql_backend(backend)
    assert backend.sql is not None
    digest = "b" * 64
    with backend.open() as store:
        store.put_text(digest, "kept")
    with pytest.raises(Exception, match="append-only: UPDATE refused"):
        backend.sql("UPDATE article_texts SET text = 'changed'")
    with pytest.raises(Exception, match="append-only: DELETE refused"):
        backend.sql("DELETE FROM article_texts")
    with backend.open() as store:
        assert store.get_text(digest) == "kept"


def test_a_second_client_sees_what_the_first_appended(backend: Backend) -> None:
    with backend.open() as first, backend.open() as second:
        first.append("a", batch("a", 2), NEW_STREAM)
        assert [e.event_id for e in second.read_all()] == ["a-0", "a-1"]
        with pytest.raises(ConflictError):
            second.append("a", batch("b", 1), NEW_STREAM)
        assert second.append("a", batch("a", 2), NEW_STREAM).replayed


def test_concurrent_writers_and_a_paging_reader_miss_nothing(backend: Backend) -> None:
    """Four writers append while a reader pages by position. Each page must continue exactly
    where the last one ended: a position seen before a lower one commits would be a hole the
    reader has already passed (see tracker/store/postgres.py)."""
    writers, rounds = 4, 40
    with backend.open() as store:
        store.append("warm-up", batch("warm", 1), NEW_STREAM)
    errors: list[BaseException] = []
    done = threading.Event()

    def write(worker: int) -> None:
        try:
            with backend.open() as store:
                for i in range(rounds):
                    store.append(f"w{worker}", batch(f"w{worker}-{i}", 1 + i % 3), None)
        except BaseException as exc:
            errors.append(exc)

    seen: list[int] = []

    def read() -> None:
        try:
            with backend.open() as store:
                while True:
                    finished = done.is_set()
                    for event in store.read_all(after=seen[-1] if seen else 0):
                        assert event.position == (seen[-1] if seen else 0) + 1, "a hole"
                        seen.append(event.position)
                    if finished:
                        return
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    reader = threading.Thread(target=read)
    reader.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    done.set()
    reader.join(120)
    assert not errors, errors
    total = 1 + writers * sum(1 + i % 3 for i in range(rounds))
    assert seen == list(range(1, total + 1))
    with backend.open() as store:
        assert store.verify().ok and store.verify().checked == total


@pytest.mark.parametrize("variables", [None, 600])  # 600: 32 rows a statement
def test_a_batch_refused_in_its_last_insert_statement_stores_nothing(
    tmp_path: Path, variables: int | None
) -> None:
    """The SQLite recorder inserts a batch in several statements; a refusal in the last one
    (a trigger here, standing for any constraint) takes the earlier ones back with it."""
    path = tmp_path / "store.db"
    store = open_recorder(path)
    assert isinstance(store, SQLiteEventStore)
    if variables:
        store.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, variables)
    store.append("s", batch("first", 3), NEW_STREAM)
    store.conn.execute(
        "CREATE TRIGGER refuse_last BEFORE INSERT ON events WHEN NEW.event_id = 'b-199'"
        " BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    with pytest.raises(ConflictError, match="refused"):
        store.append("s", batch("b", 200), expected_version=3)
    assert store.head() == 3 and store.stream_version("s") == 3
    store.conn.execute("DROP TRIGGER refuse_last")
    assert store.append("s", batch("b", 200), expected_version=3).positions[-1] == 203
    assert store.verify().ok
    store.close()

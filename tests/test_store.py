"""The store's invariants, written once against the EventStore interface and run for each
implementation (SQLite today; a PostgreSQL recorder would join the `recorder` params)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker.errors import ConflictError, DuplicateEventError
from tracker.store import EventStore, NewEvent, open_store
from tracker.store.base import NEW_STREAM


@pytest.fixture(params=["sqlite"])
def recorder(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    if request.param == "sqlite":
        store = open_store(tmp_path / "store.db")
    yield store
    store.close()


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


def test_update_and_delete_are_refused_by_the_database(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with open_store(path) as store:
        store.append("s", batch("s", 2), NEW_STREAM)
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only: UPDATE refused"):
        conn.execute("UPDATE events SET payload = '{}' WHERE position = 1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only: DELETE refused"):
        conn.execute("DELETE FROM events WHERE position = 2")
    conn.close()
    with open_store(path) as store:
        assert store.head() == 2 and store.verify().ok


def tamper(path: Path, sql: str) -> None:
    """Edit the log behind the store's back, as an attacker with the file would."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("DROP TRIGGER events_no_delete")
    conn.execute(sql)
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("sql", "broken"),
    [
        ("UPDATE events SET payload = '{\"n\": 99}' WHERE position = 4", 4),
        ("DELETE FROM events WHERE position = 3", 3),
        ("UPDATE events SET recorded_at = '2020-01-01' WHERE position = 6", 6),
    ],
)
def test_verify_names_the_first_broken_position(tmp_path: Path, sql: str, broken: int) -> None:
    path = tmp_path / "store.db"
    with open_store(path) as store:
        for i in range(3):
            store.append(f"s{i}", batch(f"s{i}", 2), NEW_STREAM)
    tamper(path, sql)
    with open_store(path, write=False) as store:  # it refuses writes now
        report = store.verify()
    assert report.first_broken == broken

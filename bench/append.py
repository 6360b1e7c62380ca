"""Append N events to the store (batches of 100, then of 1) and read them all back; compare
in the same run with plain sqlite3 executemany into an equivalent table, and with the
eventsourcing library's SQLite recorder (bench/es_recorder.py) when it is installed.

Durability is stated on every row: all use WAL; the store and plain sqlite3 run with
synchronous=NORMAL; eventsourcing is measured at NORMAL too (equal durability) and as shipped
(synchronous=FULL). Every side encodes each payload inside its timing: the store and plain
sqlite3 with the store's canonical JSON (orjson, sorted keys), eventsourcing with json.dumps
(what its JSONTranscoder does); one more eventsourcing row is given orjson's bytes, so the
recorders themselves are compared too. Every read decodes each payload with orjson, as
the store's read does.

Each figure is the median of --rounds rounds, the systems interleaved within a round (fresh
databases each time), so that load on a shared machine falls on all of them alike.

Usage: python bench/append.py [N] [--rounds R]   (default 100,000 events, 3 rounds)
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import es_recorder
from bench.machine import describe
from tracker.store import NewEvent, open_store
from tracker.store.sqlite import connect

PLAIN_TABLE = """CREATE TABLE events (
    position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,
    version INTEGER NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL,
    payload TEXT NOT NULL, recorded_at TEXT NOT NULL, prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL, UNIQUE (stream, version))"""


def make_events(n: int) -> list[NewEvent]:
    return [
        NewEvent(
            f"{i:032x}",
            "proposal.made",
            2,
            {
                "actor": "Israel",
                "target": "Hamas",
                "via": ["Egypt"],
                "modality": "asserted",
                "evidence": [
                    {"text": f"Sentence number {i} of the article.", "start": 0, "end": 30}
                ],
            },
        )
        for i in range(n)
    ]


def store_append(path: Path, events: list[NewEvent], size: int) -> float:
    with open_store(path) as store:
        started = time.perf_counter()
        for start in range(0, len(events), size):
            stream = f"s{start // 10_000}"
            store.append(stream, events[start : start + size], expected_version=None)
        return time.perf_counter() - started


def plain_append(path: Path, events: list[NewEvent], size: int) -> float:
    conn = connect(path)
    conn.execute(PLAIN_TABLE)
    started = time.perf_counter()
    position = 0
    for start in range(0, len(events), size):
        rows = []
        for event in events[start : start + size]:
            position += 1
            rows.append(
                (
                    position,
                    event.event_id,
                    f"s{start // 10_000}",
                    position,
                    event.type,
                    event.schema_version,
                    event.payload_json(),
                    "t",
                    "p",
                    "h",
                )
            )
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def store_read(path: Path) -> tuple[float, int]:
    with open_store(path) as store:
        started = time.perf_counter()
        count = sum(1 for _ in store.read_all())
        return time.perf_counter() - started, count


def plain_read(path: Path) -> tuple[float, int]:
    conn = sqlite3.connect(path)
    started = time.perf_counter()
    rows = conn.execute("SELECT * FROM events ORDER BY position")  # every column, as the store
    count = sum(1 for row in rows if orjson.loads(row[6]) is not None)
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed, count


def read_peak(path: Path, limit: int) -> int:
    """Peak Python allocation while streaming the first `limit` events."""
    with open_store(path) as store:
        tracemalloc.start()
        for stored in store.read_all():
            if stored.position >= limit:
                break
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def rows(title: str, n: int, timings: dict[str, float]) -> None:
    """One line per system, events/s and the ratio to plain sqlite3 in this run."""
    plain = timings[PLAIN]
    print(f"{title} (events/s; ratio to plain sqlite3 in this run)")
    for label, seconds in timings.items():
        print(f"  {label:<52} {n / seconds:>10,.0f}   {plain / seconds:5.2f}")
    for label, other in (
        ("at equal durability (NORMAL)", ES_NORMAL),
        ("at NORMAL, payloads encoded by orjson for it too", ES_ORJSON),
        ("as shipped (FULL)", ES_FULL),
    ):
        if other in timings:
            print(f"  store / eventsourcing {label}: {timings[other] / timings[STORE]:.2f}x")


PLAIN = "plain sqlite3 executemany, NORMAL"
STORE = "tracker store, NORMAL"
ES_NORMAL = "eventsourcing recorder, NORMAL"
ES_ORJSON = "eventsourcing recorder, NORMAL, orjson payloads"
ES_FULL = "eventsourcing recorder as shipped, FULL"


def median_of(rounds: list[dict[str, float]]) -> dict[str, float]:
    return {label: statistics.median(r[label] for r in rounds) for label in rounds[0]}


def appends(
    root: Path, events: list[NewEvent], size: int, with_es: bool, r: int
) -> dict[str, float]:
    """One round of appends in batches of `size`, each system into a fresh database."""
    timings = {
        PLAIN: plain_append(root / f"plain{size}-{r}.db", events, size),
        STORE: store_append(root / f"store{size}-{r}.db", events, size),
    }
    if with_es:
        timings[ES_NORMAL] = es_recorder.append(root / f"es{size}-{r}.db", events, size, "NORMAL")
        timings[ES_ORJSON] = es_recorder.append(
            root / f"eso{size}-{r}.db", events, size, "NORMAL", encode=es_recorder.orjson_bytes
        )
        if size == 100:  # at FULL, one fsync per commit: 100,000 of them would take long
            timings[ES_FULL] = es_recorder.append(root / f"esfull-{r}.db", events, size, None)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    n = options.n
    print(describe())
    print(f"events: {n:,}; every store in WAL mode; medians of {options.rounds} interleaved rounds")
    with_es = es_recorder.available()
    if with_es:
        print(f"eventsourcing {es_recorder.version()}: its SQLiteApplicationRecorder")
    else:
        print(
            "eventsourcing is not installed (make bench installs requirements-bench.lock): "
            "its rows are left out"
        )
    events = make_events(n)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if with_es:
            shipped = es_recorder.synchronous_of(root / "probe.db", None)
            print(f"eventsourcing as shipped runs with PRAGMA synchronous={shipped} (2 = FULL)")
        for size in (100, 1):
            rounds = [appends(root, events, size, with_es, r) for r in range(options.rounds)]
            rows(f"append, batches of {size}", n, median_of(rounds))
        reads: list[dict[str, float]] = []
        for _ in range(max(options.rounds, 5)):
            plain_read_s, _ = plain_read(root / "plain100-0.db")
            ours_read, count = store_read(root / "store100-0.db")
            assert count == n
            one = {
                "plain sqlite3 + orjson.loads": plain_read_s,
                "tracker store read_all": ours_read,
            }
            if with_es:
                es_read_s, es_count = es_recorder.read(root / "es100-0.db")
                assert es_count == n
                one["eventsourcing select_notifications + orjson.loads"] = es_read_s
            reads.append(one)
        read = median_of(reads)
        plain_s = read["plain sqlite3 + orjson.loads"]
        print(
            f"read back all, every payload decoded (events/s; ratio to plain sqlite3; medians of "
            f"{len(reads)} interleaved rounds)"
        )
        for label, seconds in read.items():
            print(f"  {label:<52} {n / seconds:>10,.0f}   {plain_s / seconds:5.2f}")
        store = root / "store100-0.db"
        small, large = read_peak(store, n // 10), read_peak(store, n)
        print(
            f"peak memory streaming {n // 10:,} events: {small / 1e6:.1f} MB; "
            f"{n:,} events: {large / 1e6:.1f} MB (flat: ratio {large / small:.2f})"
        )


if __name__ == "__main__":
    main()

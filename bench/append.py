"""Append N events to the store (batches of 100, then of 1) and read them all back; compare
with plain sqlite3 executemany into an equivalent table in the same run.

Usage: python bench/append.py [N]   (default 100,000)
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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
    count = sum(1 for _ in conn.execute("SELECT * FROM events ORDER BY position"))
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


def line(label: str, n: int, ours: float, plain: float) -> str:
    return (
        f"{label:<24} store {n / ours:>10,.0f} ev/s   plain sqlite3 {n / plain:>10,.0f} ev/s"
        f"   store/plain {plain / ours:.0%}"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(describe())
    print(f"events: {n:,}")
    events = make_events(n)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for size in (100, 1):
            ours = store_append(root / f"store{size}.db", events, size)
            plain = plain_append(root / f"plain{size}.db", events, size)
            print(line(f"append, batches of {size}", n, ours, plain))
        ours_read, count = store_read(root / "store100.db")
        plain_read_s, _ = plain_read(root / "plain100.db")
        assert count == n
        print(line("read back all", n, ours_read, plain_read_s))
        small, large = read_peak(root / "store100.db", n // 10), read_peak(root / "store100.db", n)
        print(
            f"peak memory streaming {n // 10:,} events: {small / 1e6:.1f} MB; "
            f"{n:,} events: {large / 1e6:.1f} MB (flat: ratio {large / small:.2f})"
        )


if __name__ == "__main__":
    main()

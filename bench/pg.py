"""Append N events on PostgreSQL and on SQLite (batches of 100, then of 1) and read them all
back, through the same recorder interface, side by side in one run.

Usage: python bench/pg.py [N] [--single M] [--db URL]   (N events in batches of 100 and read
back, default 100,000; M appended one per transaction, default N; URL defaults to the server
in TRACKER_TEST_POSTGRES, e.g. from .ci/postgres.sh). A database of its own is created on
that server and dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.append import make_events
from bench.machine import describe
from tracker.store import EventStore, NewEvent, open_recorder


def append(open_: Callable[[], EventStore], events: list[NewEvent], size: int) -> float:
    with open_() as store:
        started = time.perf_counter()
        for start in range(0, len(events), size):
            store.append(f"s{start // 10_000}", events[start : start + size], None)
        return time.perf_counter() - started


def read(open_: Callable[[], EventStore]) -> tuple[float, int]:
    with open_() as store:
        started = time.perf_counter()
        count = sum(1 for _ in store.read_all())
        return time.perf_counter() - started, count


def database(server: str, name: str) -> str:
    scheme, _, rest = server.partition("://")
    netloc, _, tail = rest.partition("/")
    query = tail.partition("?")[2]
    return f"{scheme}://{netloc}/{name}" + (f"?{query}" if query else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--single", type=int, default=None)
    parser.add_argument("--db", default=os.environ.get("TRACKER_TEST_POSTGRES", ""))
    args = parser.parse_args()
    if not args.db:
        sys.exit("error: give --db postgresql://... or set TRACKER_TEST_POSTGRES")
    n = args.n
    print(describe())
    with psycopg.connect(args.db, autocommit=True) as admin:
        print(f"PostgreSQL {admin.info.server_version // 10000}.{admin.info.server_version % 100}")
    events = make_events(n)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        names = [f"tracker_bench_{uuid.uuid4().hex[:8]}" for _ in range(2)]
        for name in names:
            with psycopg.connect(args.db, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"'.encode())
        try:
            single = events[: args.single or n]
            for label, size, index, batch in (
                (f"{n:,} in batches of 100", 100, 0, events),
                (f"{len(single):,} in batches of 1", 1, 1, single),
            ):
                url = database(args.db, names[index])
                path = Path(tmp) / f"{index}.db"
                pg = append(lambda u=url: open_recorder(u), batch, size)  # type: ignore[misc]
                lite = append(lambda p=path: open_recorder(p), batch, size)  # type: ignore[misc]
                rows.append((f"append {label}", len(batch) / pg, len(batch) / lite))
            url, path = database(args.db, names[0]), Path(tmp) / "0.db"
            pg_read, pg_count = read(lambda: open_recorder(url))
            lite_read, lite_count = read(lambda: open_recorder(path))
            assert pg_count == lite_count == n
            rows.append((f"read back {n:,}", n / pg_read, n / lite_read))
        finally:
            with psycopg.connect(args.db, autocommit=True) as admin:
                for name in names:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())
    print("events through tracker.store (the same recorder interface)")
    for label, pg, lite in rows:
        print(
            f"{label:<30} postgresql {pg:>10,.0f} ev/s   sqlite {lite:>10,.0f} ev/s   "
            f"pg/sqlite {pg / lite:.0%}"
        )


if __name__ == "__main__":
    main()

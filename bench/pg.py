"""PostgreSQL figures, side by side in one run on one server (issue 13 §4):

1. append N events in batches of 100, then M one per transaction, and read them all back:
   the tracker's PostgreSQL recorder, eventsourcing's PostgresApplicationRecorder on the same
   server (the baseline), and the tracker's SQLite recorder;
2. `tracker rebuild` of R negotiation events (bench/project.py's generated log) on PostgreSQL
   and on SQLite, with the read-and-parse of the same log beside each;
3. one round of `tracker run` over F feeds: one poller against three sharing the log (each
   feed claimed by one of them), wall time from start until every feed was polled once.

Usage: python bench/pg.py [N] [--single M] [--rebuild R] [--feeds F] [--entries E]
       [--pollers P] [--db URL]
Defaults: N 100,000; M 10,000 (one transaction each: 100,000 takes about 5 minutes per
recorder here; --single 100000 for the issue's figure); R 100,000; F 500 feeds of E 2 entries;
P 3. URL defaults to TRACKER_TEST_POSTGRES (e.g. from .ci/postgres.sh). Databases of their
own are created on that server and dropped at the end. eventsourcing's column needs the bench
extra, eventsourcing[postgres]==9.5.6 (`pip install --require-hashes -r
requirements-bench.lock`, as `make bench` does); without it the column says so.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench import es_recorder  # noqa: E402
from bench.append import make_events  # noqa: E402
from bench.machine import describe  # noqa: E402
from bench.poll import serve  # noqa: E402
from bench.project import BATCH  # noqa: E402
from bench.project import events as log_events  # noqa: E402
from tracker.feeds import feeds, subscribe  # noqa: E402
from tracker.projections import readmodel  # noqa: E402
from tracker.store import EventStore, NewEvent, open_recorder  # noqa: E402
from tracker.store.readmodels import read_models  # noqa: E402


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


@contextmanager
def databases(server: str, count: int) -> Iterator[list[str]]:
    names = [f"tracker_bench_{uuid.uuid4().hex[:8]}" for _ in range(count)]
    with psycopg.connect(server, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"'.encode())
    try:
        yield [database(server, name) for name in names]
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


def rate(count: int, seconds: float | None) -> str:
    return f"{count / seconds:>10,.0f} ev/s" if seconds else f"{'n/a':>15}"


# --- 1. append and read -----------------------------------------------------------------------


def appends(server: str, n: int, single: int, tmp: Path) -> None:
    events = make_events(n)
    with_es = es_recorder.pg_available()
    rows: list[tuple[str, int, float, float | None, float]] = []
    with databases(server, 4) as urls:
        for label, size, batch, url, es_url, path in (
            (f"append {n:,} in batches of 100", 100, events, urls[0], urls[1], tmp / "a.db"),
            (f"append {single:,} one by one", 1, events[:single], urls[2], urls[3], tmp / "b.db"),
        ):
            ours = append(lambda u=url: open_recorder(u), batch, size)  # type: ignore[misc]
            theirs = es_recorder.pg_append(es_url, batch, size) if with_es else None
            lite = append(lambda p=path: open_recorder(p), batch, size)  # type: ignore[misc]
            rows.append((label, len(batch), ours, theirs, lite))
        ours, count = read(lambda: open_recorder(urls[0]))
        theirs, es_count = es_recorder.pg_read(urls[1]) if with_es else (None, n)
        lite, lite_count = read(lambda: open_recorder(tmp / "a.db"))
        assert count == es_count == lite_count == n
        rows.append((f"read back {n:,}", n, ours, theirs, lite))
    version = f"eventsourcing {es_recorder.version()}" if with_es else "eventsourcing: absent"
    print(f"\n1. events through the recorders (payloads parsed on read; {version})")
    print(f"{'':<32} {'tracker pg':>15} {'eventsourcing pg':>17} {'tracker sqlite':>15}")
    for label, count, pg, es, lite in rows:
        ratio = f"   tracker/eventsourcing on pg: {es / pg:.2f}x the rate" if es else ""
        print(f"{label:<32} {rate(count, pg)} {rate(count, es):>17} {rate(count, lite)}{ratio}")


# --- 2. rebuild ---------------------------------------------------------------------------------


def fill(store: EventStore, n: int) -> None:
    rng = random.Random(5)
    for first in range(0, n, BATCH):
        store.append(f"bench-{first // BATCH}", log_events(rng, first, min(BATCH, n - first)), None)


def read_and_parse(store: EventStore) -> float:
    """The least any fold must do: read every payload of the log and parse it."""
    started = time.perf_counter()
    for row in read_models(store).rows(0, store.head()):
        orjson.loads(row[4])
    return time.perf_counter() - started


def rebuilds(server: str, n: int, tmp: Path) -> None:
    results = {}
    with databases(server, 1) as (url,):
        for name, location in (("postgresql", url), ("sqlite", str(tmp / "rebuild.db"))):
            with open_recorder(location) as store:
                fill(store, n)
                baseline = read_and_parse(store)
                started = time.perf_counter()
                readmodel.rebuild(store)
                took = time.perf_counter() - started
                results[name] = (took, baseline, readmodel.dump(store))
    assert results["postgresql"][2] == results["sqlite"][2], "the backends folded differently"
    print(f"\n2. tracker rebuild of {n:,} negotiation events (the same read models on both)")
    for name, (took, baseline, _) in results.items():
        print(
            f"{name:<11} rebuild {took:7.2f} s ({n / took:,.0f} ev/s); read and parse the log "
            f"{baseline:.2f} s; rebuild / baseline {took / baseline:.1f}x"
        )
    pg, lite = results["postgresql"][0], results["sqlite"][0]
    print(f"postgresql / sqlite: {pg / lite:.2f}x the time")


# --- 3. pollers ---------------------------------------------------------------------------------


def one_round(url: str, count: int, total: int) -> float:
    """Start `count` schedulers together; seconds until every feed has been polled once."""
    command = [sys.executable, "-m", "tracker.cli.app", "--quiet", "run", "--db", url]
    started = time.perf_counter()
    procs = [
        subprocess.Popen([*command, "--rescan", "0.5"], cwd=ROOT, stderr=subprocess.DEVNULL)
        for _ in range(count)
    ]
    try:
        with open_recorder(url) as store:
            while sum(f.last_checked_at is not None for f in feeds(store)) < total:
                if time.perf_counter() - started > 900:
                    raise SystemExit("a round took more than 15 minutes")
                time.sleep(0.1)
        return time.perf_counter() - started
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=60)


def pollers(server: str, feed_count: int, entries: int, count: int) -> None:
    ready: multiprocessing.Queue[str] = multiprocessing.Queue()
    feed_server = multiprocessing.Process(
        target=serve, args=(feed_count, entries, ready), daemon=True
    )
    feed_server.start()
    try:
        base = ready.get(timeout=120)
        walls = {}
        for n in (1, count):
            with databases(server, 1) as (url,):
                with open_recorder(url) as store:
                    for f in range(feed_count):
                        subscribe(store, f"{base}/feed/{f}.xml", every_s=3600)
                walls[n] = one_round(url, n, feed_count)
                with open_recorder(url) as store:
                    articles = sum(1 for _ in store.read_all(types=("article.ingested",)))
                assert articles == feed_count * entries, (articles, "entries stored once")
    finally:
        feed_server.terminate()
    print(
        f"\n3. one round of tracker run over {feed_count} feeds x {entries} entries "
        f"(each stored once; wall time includes the schedulers' start)"
    )
    for n, wall in walls.items():
        print(f"{n} poller(s): {wall:6.2f} s")
    print(f"{count} pollers / 1: {walls[count] / walls[1]:.2f}x the time")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--single", type=int, default=10_000)
    parser.add_argument("--rebuild", type=int, default=100_000)
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--entries", type=int, default=2)
    parser.add_argument("--pollers", type=int, default=3)
    parser.add_argument("--db", default=os.environ.get("TRACKER_TEST_POSTGRES", ""))
    args = parser.parse_args()
    if not args.db:
        sys.exit("error: give --db postgresql://... or set TRACKER_TEST_POSTGRES")
    print(describe())
    with psycopg.connect(args.db, autocommit=True) as admin:
        version = admin.info.server_version
        print(f"PostgreSQL {version // 10000}.{version % 100} (the server in --db, fsync as set)")
    with tempfile.TemporaryDirectory() as tmp:
        appends(args.db, args.n, min(args.single, args.n), Path(tmp))
        rebuilds(args.db, args.rebuild, Path(tmp))
    pollers(args.db, args.feeds, args.entries, args.pollers)


if __name__ == "__main__":
    main()

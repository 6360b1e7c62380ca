"""Projection benchmark: a store of N negotiation events (default 500,000) built twice, with
dates rising with log position and with articles shuffled (as a backfilled archive arrives);
for each, `tracker rebuild` beside a plain read-and-parse of the same log in the same run,
then the incremental fold (1,000 new events in date order; one late article, which refolds its
negotiation), `tracker status` latency, the timeline (last 100 entries and --all) and peak
memory. Targets (issue 12): rebuild <= 3x the read-and-parse baseline, the same cost per event
in both orders. The default size was 1,000,000 with one order; with two orders that no longer
finished within 10 minutes on this shared two-core machine, so it is 500,000.

The baseline is the least any fold must do: read every payload of the log with plain sqlite3
and parse its JSON (with json, and with orjson, which the tracker uses). Each phase runs in
its own process so that its peak memory (max RSS) is its own.

Usage: python bench/project.py [N] [--db DIR]   (stores in DIR are reused if they hold N)
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe  # noqa: E402
from tracker.events import NEGOTIATION_TYPES  # noqa: E402
from tracker.store import NewEvent, open_store  # noqa: E402

BATCH = 10_000
EVENTS_PER_ARTICLE = 8
NEGOTIATIONS = [f"talks-{i:02d}" for i in range(12)]
ACTORS = [f"Party {chr(65 + i)}" for i in range(16)]
OUTLETS = [f"https://news{i}.example" for i in range(40)]
TERMS = ["30 hostages", "six-week truce", "aid convoys", "prisoner release", "withdrawal"]
MODALITIES = ["asserted"] * 6 + ["planned", "predicted", "conditional", "negated"]
START = date(2022, 1, 1)


def payload(rng: random.Random, n: int, article: int, negotiation: str) -> dict[str, object]:
    text = f"Sentence {n} of article {article}: a party said something about the talks today."
    day = START + timedelta(days=article // 120)
    modality = rng.choice(MODALITIES)
    return {
        "actor": rng.choice(ACTORS),
        "target": rng.choice([None, *ACTORS]),
        "via": [rng.choice(ACTORS)] if rng.random() < 0.2 else [],
        "location": rng.choice([None, None, "Cairo", "Doha", "Geneva"]),
        "modality": modality,
        "condition": "talks fail" if modality == "conditional" else None,
        "terms": [{"text": t, "kind": "other"} for t in rng.sample(TERMS, rng.randint(0, 2))],
        "evidence": [{"text": text, "start": 0, "end": len(text)}],
        "negotiations": [negotiation],
        "article_id": f"article-{article}",
        "published": day.isoformat(),
        "occurred": None,
        "source_url": f"{rng.choice(OUTLETS)}/{article}",
    }


def events(
    rng: random.Random, first: int, count: int, order: list[int] | None = None
) -> list[NewEvent]:
    """Events first..first+count; `order` maps the n-th article appended to the article (and
    so the day) it is, for a log whose order does not follow dates."""
    out = []
    for n in range(first, first + count):
        article = n // EVENTS_PER_ARTICLE
        if order is not None and article < len(order):
            article = order[article]
        negotiation = NEGOTIATIONS[article % len(NEGOTIATIONS)]
        out.append(
            NewEvent(
                f"bench{n:027d}",
                rng.choice(NEGOTIATION_TYPES),
                2,
                payload(rng, n, article, negotiation),
            )
        )
    return out


def generate(path: Path, n: int, shuffled: bool) -> float:
    """A log of n events: articles in date order, or shuffled (each article's events still
    appended together, as an ingest does)."""
    rng = random.Random(5)
    articles = -(-n // EVENTS_PER_ARTICLE)
    order = list(range(articles))
    if shuffled:
        random.Random(11).shuffle(order)
    started = time.perf_counter()
    with open_store(path) as store:
        for first in range(store.head(), n, BATCH):
            batch = events(rng, first, min(BATCH, n - first), order)
            store.append(f"bench-{first // BATCH}", batch, expected_version=None)
    return time.perf_counter() - started


def baseline(path: Path, parse: str = "json") -> tuple[float, float]:
    """Read every payload in log order with plain sqlite3 and parse it: (wall, CPU) seconds."""
    loads = json.loads if parse == "json" else orjson.loads
    conn = sqlite3.connect(path)
    started, cpu = time.perf_counter(), time.process_time()
    for (text,) in conn.execute("SELECT payload FROM events ORDER BY position"):
        loads(text)
    elapsed = time.perf_counter() - started, time.process_time() - cpu
    conn.close()
    return elapsed


def peak_mb() -> float:
    """The larger of this process's and its largest child's (a rebuild's helper) max RSS."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


# --- phases, each run in a child process ---------------------------------------------------


def phase_rebuild(path: Path) -> dict[str, float]:
    """`tracker rebuild`: one pass over the log in fold order, one transaction."""
    from tracker.projections import readmodel

    with open_store(path) as store:
        started, cpu = time.perf_counter(), time.process_time()
        readmodel.rebuild(store)
        took, used = time.perf_counter() - started, time.process_time() - cpu
    return {"rebuild_s": took, "rebuild_cpu_s": used, "peak_mb": peak_mb()}


def phase_incremental(path: Path, rounds: int = 5) -> dict[str, float]:
    """Catch-up after 1,000 new events dated after everything folded; and after one article
    (8 events) dated 3 days, and one dated a year, before the newest report: each refolds its
    negotiation from the last snapshot before it."""
    from tracker.projections import readmodel

    rng = random.Random(7)
    on_time: list[float] = []
    late: dict[int, list[float]] = {3: [], 365: []}
    with open_store(path) as store:
        readmodel.catch_up(store)
        for _ in range(rounds):
            head = store.head()
            store.append(f"bench-new-{head}", events(rng, head, 1000), expected_version=None)
            started = time.perf_counter()
            readmodel.catch_up(store)
            on_time.append(time.perf_counter() - started)
        for days, times in late.items():
            for round_ in range(rounds):
                head = store.head()
                newest = head // EVENTS_PER_ARTICLE
                old = [max(0, newest - days * 120) + round_] * (1 + newest)
                batch = events(rng, head, EVENTS_PER_ARTICLE, old)
                store.append(f"bench-late-{head}", batch, expected_version=None)
                started = time.perf_counter()
                readmodel.catch_up(store)
                times.append(time.perf_counter() - started)
    return {
        "fold_1000_s": sorted(on_time)[rounds // 2],
        "late_3_s": sorted(late[3])[rounds // 2],
        "late_365_s": sorted(late[365])[rounds // 2],
        "peak_mb": peak_mb(),
    }


def phase_status(path: Path, rounds: int = 20) -> dict[str, float]:
    """`tracker status NEGOTIATION --format json` in-process, as the CLI runs it."""
    import contextlib
    import io

    from tracker.cli.app import main

    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(["status", NEGOTIATIONS[0], "--format", "json", "--db", str(path)])
        times.append(time.perf_counter() - started)
        assert code == 0
    return {"status_s": sorted(times)[len(times) // 2], "peak_mb": peak_mb()}


def _timeline(path: Path, *extra: str) -> dict[str, float]:
    """`tracker timeline NEGOTIATION --json` in a process of its own, output to /dev/null."""
    import contextlib
    import os

    from tracker.cli.app import main

    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        started = time.perf_counter()
        code = main(["timeline", NEGOTIATIONS[0], "--json", *extra, "--db", str(path)])
        took = time.perf_counter() - started
    assert code == 0
    return {"timeline_s": took, "peak_mb": peak_mb()}


def phase_timeline(path: Path) -> dict[str, float]:
    return _timeline(path)


def phase_timeline_all(path: Path) -> dict[str, float]:
    return _timeline(path, "--all")


PHASES = {
    "timeline": phase_timeline,
    "timeline_all": phase_timeline_all,
    "rebuild": phase_rebuild,
    "incremental": phase_incremental,
    "status": phase_status,
}


def child(phase: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--db", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def whole_process_status(path: Path, rounds: int = 5) -> float:
    tracker = Path(sys.executable).parent / "tracker"
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run(
            [str(tracker), "status", NEGOTIATIONS[0], "--format", "json", "--db", str(path)],
            capture_output=True,
            check=True,
        )
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]


def one_order(path: Path, n: int, shuffled: bool) -> None:
    name = "shuffled (a backfill)" if shuffled else "dates rising with position"
    made = generate(path, n, shuffled)
    with open_store(path) as store:
        total = store.head()
    print(
        f"\n{name}: {total:,} events in {path.stat().st_size / 1e6:.0f} MB (built in {made:.1f} s)"
    )
    (base, base_cpu), (fast, fast_cpu) = baseline(path, "json"), baseline(path, "orjson")
    print(
        f"  baseline: read and parse every payload, plain sqlite3: json {base:.1f} s "
        f"({base_cpu:.1f} s CPU), orjson {fast:.1f} s ({fast_cpu:.1f} s CPU)"
    )
    rebuilt = child("rebuild", path)
    took, used = rebuilt["rebuild_s"], rebuilt["rebuild_cpu_s"]
    print(
        f"  rebuild: {took:.1f} s, {used:.1f} s CPU ({total / took:,.0f} ev/s, "
        f"{used / total * 1e6:.1f} us CPU/event), peak memory {rebuilt['peak_mb']:.0f} MB"
    )
    print(
        f"  rebuild / baseline: {took / base:.1f}x json ({used / base_cpu:.1f}x in CPU time), "
        f"{took / fast:.1f}x orjson ({used / fast_cpu:.1f}x in CPU time)   [target <= 3x]"
    )
    folded = child("incremental", path)
    print(
        f"  catch-up: {folded['fold_1000_s'] * 1000:.0f} ms per 1,000 new events in date order;"
        f" one late article (8 events, refolding its negotiation of "
        f"{total // len(NEGOTIATIONS):,} events from the snapshot before it): "
        f"{folded['late_3_s'] * 1000:.0f} ms 3 days late, {folded['late_365_s'] * 1000:.0f} ms "
        f"a year late (medians of 5), peak memory {folded['peak_mb']:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("n", nargs="?", type=int, default=500_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--phase", choices=sorted(PHASES))
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(PHASES[args.phase](args.db)))
        return

    started = time.perf_counter()
    print(describe())
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.db or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for shuffled in (False, True):
            path = folder / ("shuffled.db" if shuffled else "rising.db")
            one_order(path, args.n, shuffled)
            if not shuffled:
                shown = child("status", path)
                print(
                    f"  status: {shown['status_s'] * 1000:.1f} ms in-process (median of 20; open,"
                    " catch up, read, render JSON)   [target < 100 ms]"
                )
                print(
                    f"  status: {whole_process_status(path) * 1000:.0f} ms as a whole `tracker "
                    "status` process (Python start and imports included)"
                )
                recent, every = child("timeline", path), child("timeline_all", path)
                with open_store(path) as store:
                    (entries,) = store.conn.execute(
                        "SELECT COUNT(*) FROM projection_timeline WHERE negotiation = ?",
                        (NEGOTIATIONS[0],),
                    ).fetchone()
                print(
                    f"  timeline of {NEGOTIATIONS[0]} ({entries:,} entries), in-process JSON: "
                    f"last 100 {recent['timeline_s'] * 1000:.0f} ms, peak {recent['peak_mb']:.0f}"
                    f" MB; --all {every['timeline_s']:.1f} s, peak {every['peak_mb']:.0f} MB"
                )
    print(f"\nwhole bench: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

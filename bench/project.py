"""Projection benchmark: a store of N negotiation events (default 1,000,000), then
rebuild time, incremental fold time per 1,000 new events, `tracker status` latency and peak
memory. Targets (issue 5): rebuild < 20 s, status < 100 ms, peak memory < 300 MB.

The baseline, measured in the same run, is the least any fold must do: read every payload of
the log with plain sqlite3 and parse its JSON. Each phase runs in its own process so that its
peak memory (max RSS) is its own.

Usage: python bench/project.py [N] [--db PATH]   (a store at PATH is reused if it holds N)
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


def events(rng: random.Random, first: int, count: int) -> list[NewEvent]:
    out = []
    for n in range(first, first + count):
        article = n // EVENTS_PER_ARTICLE
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


def generate(path: Path, n: int) -> float:
    rng = random.Random(5)
    started = time.perf_counter()
    with open_store(path) as store:
        for first in range(store.head(), n, BATCH):
            batch = events(rng, first, min(BATCH, n - first))
            store.append(f"bench-{first // BATCH}", batch, expected_version=None)
    return time.perf_counter() - started


def baseline(path: Path) -> float:
    conn = sqlite3.connect(path)
    started = time.perf_counter()
    for (text,) in conn.execute("SELECT payload FROM events ORDER BY position"):
        json.loads(text)
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def peak_mb() -> float:
    """The larger of this process's and its largest child's (a rebuild's helper) max RSS."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


# --- phases, each run in a child process ---------------------------------------------------


def phase_rebuild(path: Path, parallel: bool | None = None) -> dict[str, float]:
    """`tracker rebuild`: by default two processes on a long log (statuses and a share of the
    timelines here, the other timelines in a forked helper)."""
    from tracker.projections import readmodel

    with open_store(path) as store:
        started = time.perf_counter()
        readmodel.rebuild(store, parallel=parallel)
        took = time.perf_counter() - started
    return {"rebuild_s": took, "peak_mb": peak_mb()}


def phase_rebuild_one(path: Path) -> dict[str, float]:
    """The same rebuild in one process, for comparison."""
    return phase_rebuild(path, parallel=False)


def _spin(_: int = 0) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - started


def two_process_speedup() -> float:
    """How much more CPU-bound work two processes do than one on this machine right now
    (2.0 on two free cores; near 1.0 when the cores are hyperthreads or shared)."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_spin, [0, 1])  # warm both workers up
        started = time.perf_counter()
        pool.map(_spin, [0], chunksize=1)
        alone = time.perf_counter() - started
        started = time.perf_counter()
        pool.map(_spin, [0, 1], chunksize=1)
        both = time.perf_counter() - started
    return 2 * alone / both


def phase_incremental(path: Path, rounds: int = 5) -> dict[str, float]:
    from tracker.projections import readmodel

    rng = random.Random(7)
    times = []
    with open_store(path) as store:
        readmodel.catch_up(store)
        for _ in range(rounds):
            head = store.head()
            store.append(f"bench-new-{head}", events(rng, head, 1000), expected_version=None)
            started = time.perf_counter()
            readmodel.catch_up(store)
            times.append(time.perf_counter() - started)
    return {"fold_1000_s": sorted(times)[len(times) // 2], "peak_mb": peak_mb()}


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


PHASES = {
    "rebuild": phase_rebuild,
    "rebuild1": phase_rebuild_one,
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("n", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--phase", choices=sorted(PHASES))
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(PHASES[args.phase](args.db)))
        return

    print(describe())
    print(f"two processes do {two_process_speedup():.2f}x the CPU-bound work of one here, now")
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        made = generate(path, args.n)
        with open_store(path) as store:
            total = store.head()
        print(
            f"store: {total:,} events in {path.stat().st_size / 1e6:.0f} MB (built in {made:.1f} s)"
        )
        base = baseline(path)
        print(f"baseline: read and parse every payload with plain sqlite3: {base:.1f} s")
        one = child("rebuild1", path)
        print(
            f"rebuild in one process: {one['rebuild_s']:.1f} s "
            f"({one['rebuild_s'] / base:.1f}x baseline), peak memory {one['peak_mb']:.0f} MB"
        )
        rebuilt = child("rebuild", path)
        print(
            f"rebuild: {rebuilt['rebuild_s']:.1f} s ({total / rebuilt['rebuild_s']:,.0f} ev/s, "
            f"{rebuilt['rebuild_s'] / base:.1f}x baseline), peak memory {rebuilt['peak_mb']:.0f} MB"
            f" per process   [target < 20 s, < 300 MB]"
        )
        folded = child("incremental", path)
        print(
            f"incremental: {folded['fold_1000_s'] * 1000:.0f} ms per 1,000 new events "
            f"(median of 5), peak memory {folded['peak_mb']:.0f} MB"
        )
        shown = child("status", path)
        print(
            f"status: {shown['status_s'] * 1000:.1f} ms in-process (median of 20; open, catch up,"
            f" read, render JSON)   [target < 100 ms]"
        )
        print(
            f"status: {whole_process_status(path) * 1000:.0f} ms as a whole `tracker status` "
            "process (Python start and imports included)"
        )


if __name__ == "__main__":
    main()

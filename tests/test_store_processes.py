"""The store under real processes: concurrent appenders, and a writer killed mid-batch."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tracker.errors import ConflictError
from tracker.store import NewEvent, open_store


def _append_loop(path: str, worker: int, rounds: int, queue: mp.Queue) -> None:  # type: ignore[type-arg]
    """Append to the shared stream with optimistic concurrency; count wins and conflicts."""
    wins = conflicts = 0
    with open_store(path) as store:
        for i in range(rounds):
            while True:
                version = store.stream_version("shared")
                event = NewEvent(f"w{worker}-{i}", "test.event", 1, {"worker": worker, "i": i})
                try:
                    store.append("shared", [event], expected_version=version)
                    wins += 1
                    break
                except ConflictError:
                    conflicts += 1
    queue.put((worker, wins, conflicts))


def test_two_processes_appending_to_one_stream_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    open_store(path).close()
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    rounds = 150
    workers = [ctx.Process(target=_append_loop, args=(str(path), w, rounds, queue)) for w in (1, 2)]
    for proc in workers:
        proc.start()
    for proc in workers:
        proc.join(120)
        assert proc.exitcode == 0
    results = [queue.get(timeout=5) for _ in workers]
    assert sum(wins for _, wins, _ in results) == 2 * rounds
    with open_store(path) as store:
        events = list(store.read_stream("shared"))
        assert [e.version for e in events] == list(range(1, 2 * rounds + 1))
        assert len({e.event_id for e in events}) == 2 * rounds
        assert store.verify().ok


def test_the_loser_of_a_race_gets_a_clean_conflict(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with open_store(path) as first, open_store(path) as second:
        seen = second.stream_version("s")
        first.append("s", [NewEvent("a", "t", 1, {})], expected_version=seen)
        with pytest.raises(ConflictError, match="stream 's' is at version 1, expected 0"):
            second.append("s", [NewEvent("b", "t", 1, {})], expected_version=seen)
        assert second.head() == 1


WRITER = """
import sys
from tracker.store import NewEvent, open_store
store = open_store(sys.argv[1])
store.append("warmup", [NewEvent("warm", "t", 1, {})], None)
print("ready", flush=True)
batch = [NewEvent(f"big-{i}", "t", 1, {"i": i, "pad": "x" * 200}) for i in range(200_000)]
store.append("big", batch, expected_version=0)
print("committed", flush=True)
"""


@pytest.mark.slow
def test_kill_9_in_the_middle_of_a_large_batch_leaves_it_whole_or_absent(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(0.4)  # building and inserting 200,000 events takes seconds: kill inside it
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert "committed" not in proc.stdout.read(), "the batch finished before the kill"
    with open_store(path) as store:
        count = store.stream_version("big")
        assert count in (0, 200_000)
        assert store.verify().ok
        # The store is usable after the crash.
        store.append("after", [NewEvent("after", "t", 1, {})], expected_version=0)
        assert store.verify().ok

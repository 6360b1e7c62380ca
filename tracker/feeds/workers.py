"""Large polls on several cores. Parsing and extraction are CPU-bound Python, so threads share
one core; each worker process polls its share of the feeds with its own single writer (the
store's expected-version appends and idempotent article ids keep rival writers honest)."""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Callable, Sequence
from multiprocessing.queues import Queue
from pathlib import Path

from tracker.feeds.poll import PollOptions, PollReport, poll_many

FEEDS_PER_PROCESS = 50  # below this, a process costs more to start than it saves


def auto_processes(feeds: int) -> int:
    return max(1, min(os.cpu_count() or 1, feeds // FEEDS_PER_PROCESS))


def poll_in_processes(
    db: str | Path,
    feed_ids: Sequence[str],
    *,
    processes: int,
    jobs: int,
    options: PollOptions,
    on_done: Callable[[PollReport], None] | None = None,
) -> list[PollReport]:
    if processes <= 1 or len(feed_ids) < 2:
        return poll_many(db, feed_ids, jobs=jobs, options=options, on_done=on_done)
    context = multiprocessing.get_context("spawn")  # no fork of threads or open connections
    results: Queue[PollReport | None] = context.Queue()
    settings = (options.timeout, options.max_bytes, options.force)
    workers = [
        context.Process(
            target=_worker,
            args=(db, list(feed_ids[n::processes]), jobs, settings, results),
            daemon=True,
        )
        for n in range(processes)
    ]
    for worker in workers:
        worker.start()
    reports: list[PollReport] = []
    running = len(workers)
    while running:
        try:
            report = results.get(timeout=1.0)
        except queue.Empty:
            if not any(worker.is_alive() for worker in workers):
                break  # a worker died without its sentinel: do not wait forever
            continue
        if report is None:
            running -= 1
            continue
        reports.append(report)
        if on_done is not None:
            on_done(report)
    for worker in workers:
        worker.join(timeout=10)
    return reports


def _worker(
    db: str | Path,
    feed_ids: list[str],
    jobs: int,
    settings: tuple[float, int, bool],
    results: Queue[PollReport | None],
) -> None:
    timeout, max_bytes, force = settings
    try:
        poll_many(
            db,
            feed_ids,
            jobs=jobs,
            options=PollOptions(timeout=timeout, max_bytes=max_bytes, force=force),
            on_done=results.put,
        )
    finally:
        results.put(None)

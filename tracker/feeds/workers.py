"""Large polls on several cores. Parsing and extraction are CPU-bound Python, so threads share
one core; each worker process parses and ingests its share of the feeds with its own single
writer (the store's expected-version appends and idempotent article ids keep rival writers
honest). The conditional GETs are made first, here, in threads: a feed that answers 304 or
fails is settled at once, and only the documents that changed go to the workers, so a poll
where nothing changed starts none (a worker costs about half a second of imports)."""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Callable, Sequence
from dataclasses import replace
from multiprocessing.queues import Queue
from pathlib import Path

from tracker.feeds.poll import (
    PollOptions,
    PollReport,
    parse_fetched,
    poll_many,
    settle_reported,
)
from tracker.feeds.state import catch_up, get_feed
from tracker.http import Fetched, new_client
from tracker.projections import catch_up as fold_projections
from tracker.store import open_recorder

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
    fetched: list[tuple[str, Fetched]] = []
    reports = poll_many(db, feed_ids, jobs=jobs, options=options, on_done=on_done, unparsed=fetched)
    processes = min(processes, len(fetched))
    if processes <= 1:
        return reports + settle_fetched(db, fetched, options=options, on_done=on_done)
    context = multiprocessing.get_context("spawn")  # no fork of threads or open connections
    results: Queue[PollReport | None] = context.Queue()
    settings = (options.timeout, options.max_bytes, options.force)
    workers = [
        context.Process(
            target=_worker,
            args=(db, fetched[n::processes], settings, results),
            daemon=True,
        )
        for n in range(processes)
    ]
    for worker in workers:
        worker.start()
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


def settle_fetched(
    db: str | Path,
    fetched: Sequence[tuple[str, Fetched]],
    *,
    options: PollOptions,
    on_done: Callable[[PollReport], None] | None = None,
) -> list[PollReport]:
    """Parse the feeds' new documents and settle them (ingest, record), one writer; the
    projections fold once at the end, as poll_many folds them."""
    reports: list[PollReport] = []
    if not fetched:
        return reports
    own_client = options.client is None
    opts = replace(options, client=new_client(options.timeout)) if own_client else options
    try:
        with open_recorder(db) as store:
            catch_up(store)  # the feed state, with what rivals recorded
            for feed_id, document in fetched:
                feed = get_feed(store, feed_id)  # as it is now, rivals included
                assert feed is not None
                settle_reported(store, feed, parse_fetched(document), opts, reports, on_done)
            fold_projections(store)
    finally:
        if own_client and opts.client is not None:
            opts.client.close()
    return reports


def _worker(
    db: str | Path,
    fetched: list[tuple[str, Fetched]],
    settings: tuple[float, int, bool],
    results: Queue[PollReport | None],
) -> None:
    timeout, max_bytes, force = settings
    try:
        options = PollOptions(timeout=timeout, max_bytes=max_bytes, force=force)
        settle_fetched(db, fetched, options=options, on_done=results.put)
    finally:
        results.put(None)

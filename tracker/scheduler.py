"""`tracker run`: poll every feed at its own interval, unattended, with APScheduler 3.

One interval job per feed (jitter, coalesce, max_instances 1, misfire grace time). The main
thread re-reads the feeds every few seconds, so feeds added or removed by other commands are
picked up. On SQLite a lock file held with flock makes a second scheduler on the same store
refuse; on PostgreSQL several schedulers (on several machines) share the log, and each due
feed is polled by the one that claims its round first (tracker/feeds/state.py).
SIGINT and SIGTERM stop new polls and wait for the one in hand; all state lives in the store,
so the next start resumes where this one stopped."""

from __future__ import annotations

import fcntl
import logging
import os
import random
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from tracker.errors import TrackerError
from tracker.export.publish import publish
from tracker.feeds.poll import Claims, PollOptions, retrieve, settle_contained, skip
from tracker.feeds.state import catch_up, claim_round, feeds, get_feed
from tracker.http import DEFAULT_TIMEOUT_S, new_client
from tracker.notify.deliver import Target
from tracker.notify.detect import changes, look
from tracker.notify.notifier import ATTEMPTS, BACKOFF_S, Notifier
from tracker.store import SQLiteEventStore, is_url, open_recorder, open_store
from tracker.store.redact import redact

log = logging.getLogger("tracker.scheduler")

SYNC_EVERY_S = 5.0
MISFIRE_GRACE_S = 300


def lock_path(db: Path) -> Path:
    """Keyed by the resolved store: a symlink to the same file is the same store."""
    real = db.resolve()
    return real.with_name(real.name + ".run.lock")


@contextmanager
def scheduler_lock(db: str | Path) -> Iterator[None]:
    """Hold an exclusive flock for as long as the scheduler runs. The kernel drops it when the
    process dies, so a crashed scheduler never leaves a stale lock behind. Nothing to hold on
    PostgreSQL, where schedulers claim feeds instead."""
    if is_url(db):
        yield
        return
    path = lock_path(Path(db))
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            raise TrackerError(
                f"another `tracker run` (pid {holder}) is already polling {db}; "
                "only one scheduler may run per store"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def jitter_s(every_s: int) -> int:
    """Up to a tenth of the interval (at most a minute), so feeds do not fire in lockstep."""
    return max(0, min(60, every_s // 10))


@dataclass(frozen=True)
class Outputs:
    """What `tracker run` does after a poll that changed a status, besides logging it."""

    notifier: Notifier | None = None
    export_dir: Path | None = None

    @property
    def watching(self) -> bool:
        return self.notifier is not None or self.export_dir is not None


class FeedScheduler:
    def __init__(
        self,
        db: str | Path,
        jobs: int = 4,
        timeout: float = DEFAULT_TIMEOUT_S,
        outputs: Outputs | None = None,
    ) -> None:
        self.db = db
        self.outputs = outputs or Outputs()
        self.export_lock = threading.Lock()
        self.options = PollOptions(timeout=timeout, client=new_client(timeout), claims=Claims())
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=jobs)},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": MISFIRE_GRACE_S,
            },
            timezone=UTC,
        )
        self.intervals: dict[str, int] = {}
        self.write_lock = threading.Lock()
        self.owner = f"{socket.gethostname()}:{os.getpid()}"

    def sync(self) -> None:
        """Make the jobs match the feeds in the store: add new ones, drop removed or gone ones,
        follow changed intervals."""
        now = datetime.now(UTC)
        with open_recorder(self.db) as store:
            catch_up(store)
            wanted = {f.feed_id: f for f in feeds(store) if f.pollable}
        for fid in list(self.intervals):
            if fid not in wanted:
                self.scheduler.remove_job(fid)
                del self.intervals[fid]
                log.info("stopped polling feed %s (removed or gone)", fid)
        for fid, feed in wanted.items():
            trigger = IntervalTrigger(seconds=feed.every_s, jitter=jitter_s(feed.every_s))
            if fid not in self.intervals:
                # Due feeds start within a second of each other, not all at the same instant;
                # the interval trigger's own jitter spreads them further from then on.
                spread = random.uniform(0, min(1.0, jitter_s(feed.every_s)))
                first = feed.due(now) + timedelta(seconds=spread)
                self.scheduler.add_job(
                    self.poll_one, trigger, args=[fid], id=fid, name=feed.url, next_run_time=first
                )
                log.info("polling %s every %ss, first at %s", feed.url, feed.every_s, f"{first:%X}")
            elif self.intervals[fid] != feed.every_s:
                self.scheduler.reschedule_job(fid, trigger=trigger)
            self.intervals[fid] = feed.every_s

    def poll_one(self, fid: str) -> None:
        try:
            with open_recorder(self.db) as store:
                catch_up(store)
                feed = get_feed(store, fid)
                if feed is None:
                    return
                report = skip(feed, self.options, datetime.now(UTC))
                found: list[dict[str, Any]] = []
                early = jitter_s(feed.every_s) + min(1.0, feed.every_s / 4)
                if report is None and not claim_round(
                    store, feed, self.owner, datetime.now(UTC), early
                ):
                    log.debug("poll %s: claimed by another scheduler, or not due", feed.url)
                    return
                if report is None:
                    # Fetch and parse in parallel with other jobs; write one job at a time.
                    got = retrieve(feed, self.options, datetime.now(UTC))
                    with self.write_lock:
                        catch_up(store)
                        feed = get_feed(store, fid) or feed
                        # The outputs read the projections: SQLite only (refused on
                        # PostgreSQL by `tracker run`).
                        local = store if isinstance(store, SQLiteEventStore) else None
                        before = (
                            look(local) if local is not None and self.outputs.watching else None
                        )
                        report = settle_contained(store, feed, got, self.options, datetime.now(UTC))
                        if local is not None and before is not None and report.new_events:
                            found = changes(local, before)
                if found and isinstance(store, SQLiteEventStore):
                    self.changed(store, found)
        except Exception:  # a job must never take the scheduler down
            log.exception("poll of feed %s crashed", fid)
            return
        if report.outcome == "waiting":
            log.debug("poll %s", report.line())
        elif report.outcome in ("failed", "gone"):
            log.warning("poll %s", report.line())
        else:
            log.info("poll %s", report.line())

    def changed(self, store: SQLiteEventStore, found: list[dict[str, Any]]) -> None:
        """Alerts are queued (the notifier's thread delivers them); the export is rewritten
        here, one job at a time. Neither may stop polling."""
        for change in found:
            gone, new = len(change["removed"]), len(change["added"])
            log.info(
                "status of %s changed: %d lines gone, %d new", change["negotiation"], gone, new
            )
            if self.outputs.notifier is not None:
                self.outputs.notifier.submit(change)
        self.export(store, [c["negotiation"] for c in found])

    def export(self, store: SQLiteEventStore, names: list[str] | None = None) -> None:
        if self.outputs.export_dir is None:
            return
        try:
            with self.export_lock:
                written = publish(store, self.outputs.export_dir, names)
        except Exception as exc:
            log.warning("could not rewrite the export in %s: %s", self.outputs.export_dir, exc)
            return
        log.info("export: %d files rewritten in %s", len(written), self.outputs.export_dir)

    def run(self, stop: threading.Event, sync_every: float = SYNC_EVERY_S) -> None:
        self.sync()
        if self.outputs.export_dir is not None:
            with open_store(self.db) as store:
                self.export(store)  # complete from the start, not only after a change
        if self.outputs.notifier is not None:
            self.outputs.notifier.start()
        self.scheduler.start()
        log.info("scheduler running on %s with %d feeds", redact(str(self.db)), len(self.intervals))
        try:
            while not stop.wait(sync_every):
                try:
                    self.sync()
                except Exception as exc:  # a lost database connection must not end the run
                    log.warning("could not re-read the feeds: %s: %s", type(exc).__name__, exc)
        finally:
            log.info("stopping: no new polls; waiting for the polls in hand")
            self.scheduler.shutdown(wait=True)
            if self.outputs.notifier is not None:
                self.outputs.notifier.close()
            if self.options.client is not None:
                self.options.client.close()
            log.info("stopped")


def run_scheduler(
    db: str | Path,
    *,
    jobs: int = 4,
    timeout: float = DEFAULT_TIMEOUT_S,
    sync_every: float = SYNC_EVERY_S,
    stop: threading.Event | None = None,
    notify: Target | None = None,
    export_dir: Path | None = None,
    notify_attempts: int = ATTEMPTS,
    notify_backoff_s: float = BACKOFF_S,
    quiet: bool = False,
) -> None:
    """Run until `stop` is set, or until SIGINT/SIGTERM when running in the main thread.
    Quiet logs warnings and errors only."""
    _configure_logging(logging.WARNING if quiet else logging.INFO)
    stop = stop or threading.Event()
    with scheduler_lock(db):
        if threading.current_thread() is threading.main_thread():

            def on_signal(signum: int, frame: FrameType | None) -> None:
                log.info("received %s", signal.Signals(signum).name)
                stop.set()

            signal.signal(signal.SIGINT, on_signal)
            signal.signal(signal.SIGTERM, on_signal)
        notifier = (
            Notifier(db, notify, attempts=notify_attempts, first_backoff_s=notify_backoff_s)
            if notify is not None
            else None
        )
        outputs = Outputs(notifier, export_dir)
        FeedScheduler(db, jobs=jobs, timeout=timeout, outputs=outputs).run(stop, sync_every)


def _configure_logging(level: int = logging.INFO) -> None:
    logger = logging.getLogger("tracker")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(level)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)

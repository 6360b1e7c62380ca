"""Deliver change alerts in a thread of their own, so a slow or dead receiver never holds up
a poll: each change is queued, tried up to `attempts` times with exponential backoff, and
every attempt is recorded in the store's `notifications` table (and logged). On shutdown the
queue gets a short grace; what is still undelivered then is recorded as abandoned."""

from __future__ import annotations

import json
import logging
import queue
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from tracker.notify.deliver import SEND_TIMEOUT_S, DeliveryError, Target
from tracker.store import SQLiteEventStore, open_store

log = logging.getLogger("tracker.notify")

ATTEMPTS = 5
BACKOFF_S = 2.0  # first wait; doubled after each failure
MAX_BACKOFF_S = 300.0
GRACE_S = 10.0


def backoff_s(attempt: int, first: float = BACKOFF_S, cap: float = MAX_BACKOFF_S) -> float:
    """The wait after failed attempt n (1-based): first, 2 x first, 4 x first ... capped."""
    return float(min(cap, first * 2 ** (attempt - 1)))


class Notifier:
    def __init__(
        self,
        db: str | Path,
        target: Target,
        *,
        attempts: int = ATTEMPTS,
        first_backoff_s: float = BACKOFF_S,
        timeout: float = SEND_TIMEOUT_S,
    ) -> None:
        self.db = db
        self.target = target
        self.attempts = attempts
        self.first_backoff_s = first_backoff_s
        self.timeout = timeout
        self.pending: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.abort = threading.Event()
        self.thread = threading.Thread(target=self._work, name="tracker-notify", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def submit(self, change: dict[str, Any]) -> None:
        """Queue a change; returns at once."""
        self.pending.put(change)

    def close(self, grace_s: float = GRACE_S) -> None:
        """Let the queue drain for up to grace_s, then abandon what is left."""
        self.pending.put(None)
        self.thread.join(grace_s)
        if self.thread.is_alive():
            self.abort.set()
            self.thread.join(self.timeout + 5)

    def _work(self) -> None:
        with open_store(self.db) as store, httpx.Client(follow_redirects=False) as client:
            while (change := self.pending.get()) is not None:
                try:
                    self._deliver(store, client, change)
                except Exception:  # the thread must outlive any one alert
                    log.exception("alert for %s crashed", change.get("negotiation"))

    def _deliver(
        self, store: SQLiteEventStore, client: httpx.Client, change: dict[str, Any]
    ) -> None:
        body = json.dumps(change, ensure_ascii=False).encode("utf-8")
        name = change.get("negotiation", "")
        for attempt in range(1, self.attempts + 1):
            if self.abort.is_set():
                self._record(store, change, attempt, "abandoned", "the scheduler stopped")
                return
            try:
                said = self.target.send(body, client, self.timeout)
            except DeliveryError as exc:
                last = attempt == self.attempts
                self._record(store, change, attempt, "gave up" if last else "failed", str(exc))
                if last:
                    log.warning("alert for %s to %s: gave up after %d attempts: %s",
                                name, self.target.text, attempt, exc)  # fmt: skip
                    return
                wait = backoff_s(attempt, self.first_backoff_s)
                log.warning("alert for %s to %s failed (%s); retrying in %gs",
                            name, self.target.text, exc, wait)  # fmt: skip
                if self.abort.wait(wait):
                    self._record(store, change, attempt, "abandoned", "the scheduler stopped")
                    return
                continue
            self._record(store, change, attempt, "delivered", said)
            log.info("alert for %s delivered to %s (%s)", name, self.target.text, said)
            return

    def _record(
        self, store: SQLiteEventStore, change: dict[str, Any], attempt: int, outcome: str,
        detail: str,
    ) -> None:  # fmt: skip
        row = {
            "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "negotiation": change.get("negotiation", ""),
            "target": self.target.text,
            "attempt": attempt,
            "outcome": outcome,
            "detail": detail,
            "after_position": change.get("after_position", 0),
            "upto_position": change.get("upto_position", 0),
        }
        try:
            store.db["notifications"].insert(row)  # type: ignore[union-attr]
        except Exception as exc:  # a record lost is logged, never fatal
            log.warning("could not record the alert's %s: %s", outcome, exc)

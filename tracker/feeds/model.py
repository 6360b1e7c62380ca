"""Feeds as the poller sees them, and the rules that need no I/O: intervals, identity, backoff."""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from tracker.errors import UsageError

DEFAULT_EVERY_S = 15 * 60
BACKOFF_CAP_S = 6 * 3600  # a failing feed is still tried four times a day
# Beyond a year an interval is a typo; far beyond, it overflows the stored integer and datetime.
MAX_EVERY_S = 365 * 86400
_EVERY = re.compile(r"(\d+)\s*([smhd])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Feed:
    """One row of the feeds read model (tracker/feeds/state.py)."""

    feed_id: str
    url: str
    negotiation: str | None
    every_s: int
    full_text: bool
    status: str  # active | failing | gone | removed
    last_poll_at: datetime | None = None
    last_checked_at: datetime | None = None
    last_status: int | None = None
    last_error: str | None = None
    last_warning: str | None = None
    failures: int = 0
    retry_at: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    entries_seen: int = 0
    trust_links: bool = False  # fetch its entries' pages even on private addresses

    @property
    def pollable(self) -> bool:
        return self.status in ("active", "failing")

    @property
    def is_local(self) -> bool:
        return not self.url.lower().startswith(("http://", "https://"))

    def waiting(self, now: datetime) -> bool:
        """Backing off after a failure or a Retry-After: not to be fetched yet."""
        return self.retry_at is not None and self.retry_at > now

    def due(self, now: datetime) -> datetime:
        """When the scheduler should next poll it."""
        last = self.last_checked_at or self.last_poll_at
        due = last + timedelta(seconds=self.every_s) if last else now
        if self.retry_at is not None:
            due = max(due, self.retry_at)
        return max(due, now)


def parse_every(text: str) -> int:
    """'15m', '1h30m', '90s', '2d' -> seconds."""
    cleaned = text.strip().lower()
    parts = _EVERY.findall(cleaned)
    if not parts or _EVERY.sub("", cleaned).strip():
        raise UsageError(f"--every takes a duration such as 30s, 15m, 1h or 1h30m, got {text!r}")
    seconds = sum(int(n) * _UNITS[unit] for n, unit in parts)
    if seconds < 1:
        raise UsageError("--every must be at least 1s")
    if seconds > MAX_EVERY_S:
        raise UsageError(f"--every must be at most {format_every(MAX_EVERY_S)}, got {text!r}")
    return seconds


def format_every(seconds: int) -> str:
    out = ""
    for unit in ("d", "h", "m", "s"):
        n, seconds = divmod(seconds, _UNITS[unit])
        if n:
            out += f"{n}{unit}"
    return out or "0s"


def feed_id(url: str) -> str:
    """A feed keeps the id of the URL it was subscribed with, even after it moves."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def backoff_s(failures: int, every_s: int, rng: random.Random | None = None) -> float:
    """Delay before the next try after `failures` failures in a row: the interval doubled per
    failure, capped at 6 h or the interval if longer, with jitter (half fixed, half random)
    so feeds that failed together do not retry in lockstep."""
    cap = float(max(BACKOFF_CAP_S, every_s))  # a daily feed is not retried more than daily
    base = min(cap, every_s * 2.0 ** max(failures - 1, 0))
    return base / 2 + (rng or random).uniform(0, base / 2)

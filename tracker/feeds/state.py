"""The feed state: a read model folded from the feed.* events, behind one set of functions
with an implementation per backend (state_sqlite.py, state_pg.py), chosen by the store.

`claim_round` is how several pollers share one log: on PostgreSQL a poller polls a due feed
only if it is the first to claim that round; on SQLite one scheduler runs per store (an flock,
tracker/scheduler.py), so every claim succeeds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from types import ModuleType

from tracker.feeds.model import Feed
from tracker.store import EventStore, SQLiteEventStore


def _impl(store: EventStore) -> ModuleType:
    if isinstance(store, SQLiteEventStore):
        from tracker.feeds import state_sqlite

        return state_sqlite
    from tracker.store.postgres import PostgresEventStore

    if isinstance(store, PostgresEventStore):
        from tracker.feeds import state_pg

        return state_pg
    raise TypeError(f"no feed state for {type(store).__name__}")


def catch_up(store: EventStore) -> int:
    """Fold the feed events appended since the checkpoint; return how many were folded."""
    folded: int = _impl(store).catch_up(store)
    return folded


def feeds(store: EventStore, include_removed: bool = False) -> list[Feed]:
    found: list[Feed] = _impl(store).feeds(store, include_removed)
    return found


def get_feed(store: EventStore, feed_id: str) -> Feed | None:
    found: Feed | None = _impl(store).get_feed(store, feed_id)
    return found


def find_feed(store: EventStore, url: str) -> Feed | None:
    """By its current URL, the URL it was subscribed with, or its id."""
    found: Feed | None = _impl(store).find_feed(store, url)
    return found


def seen_keys(store: EventStore, keys: Iterable[str]) -> set[str]:
    found: set[str] = _impl(store).seen_keys(store, keys)
    return found


def touch_checked(store: EventStore, feed_id: str, at: datetime) -> None:
    """An unchanged poll: no event, only the time of the last check."""
    _impl(store).touch_checked(store, feed_id, at)


def claim_round(store: EventStore, feed: Feed, owner: str, now: datetime, early_s: float) -> bool:
    """True if this poller may poll `feed` now. On PostgreSQL: the feed is due (at most
    `early_s` from now, for the trigger's jitter) and no rival has claimed this round (the
    feed's last check as `feed` shows it), so a feed is polled once per interval however many
    schedulers run."""
    if isinstance(store, SQLiteEventStore):
        return True
    if (feed.due(now) - now).total_seconds() > early_s:
        return False
    from tracker.feeds import state_pg
    from tracker.store.postgres import PostgresEventStore

    assert isinstance(store, PostgresEventStore)
    return state_pg.claim_round(store, feed, owner)

"""`tracker feeds add`: check a feed with one fetch before subscribing, then ingest what that
same fetch brought, so a feed is fetched once, not twice. A feed that cannot be reached or
read is refused with the reason, unless forced (then it is kept and retried with backoff)."""

from __future__ import annotations

from datetime import UTC, datetime

from tracker.errors import TrackerError
from tracker.feeds.model import Feed, feed_id
from tracker.feeds.poll import PollOptions, PollReport, retrieve, settle_contained
from tracker.feeds.service import subscribe
from tracker.feeds.state import catch_up, find_feed
from tracker.store import EventStore


class FeedRefused(TrackerError):
    """The first fetch failed and --force was not given: nothing was subscribed."""


def add_feed(
    store: EventStore,
    url: str,
    *,
    every_s: int,
    negotiation: str | None = None,
    full_text: bool = False,
    trust_links: bool = False,
    options: PollOptions | None = None,
    force: bool = False,
    now: datetime | None = None,
) -> tuple[Feed, PollReport]:
    opts = options or PollOptions()
    now = now or datetime.now(UTC)
    catch_up(store)
    existing = find_feed(store, url)
    if existing is not None and existing.pollable:
        raise TrackerError(f"already subscribed to {existing.url}")
    # No validators: the check must get the feed itself, not a 304 from an old subscription.
    probe = Feed(
        feed_id(url), url, negotiation, every_s, full_text, status="active", trust_links=trust_links
    )
    got = retrieve(probe, opts, now)
    if got.error is not None and not force:
        raise FeedRefused(
            f"not subscribed to {url}: {got.error} (--force subscribes anyway and retries it)"
        )
    feed = subscribe(
        store,
        url,
        every_s=every_s,
        negotiation=negotiation,
        full_text=full_text,
        trust_links=trust_links,
        now=now,
    )
    return feed, settle_contained(store, feed, got, opts, now)

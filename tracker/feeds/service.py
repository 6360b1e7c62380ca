"""Feed use cases that append to the log: subscribe, remove, and record a poll's outcome.
Each is one append to the feed's own stream, `feed-<id>`, then a fold into the read model."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from tracker.codec import encode
from tracker.errors import TrackerError, UsageError
from tracker.events import DomainEvent, FeedRemoved, FeedSubscribed
from tracker.feeds.model import Feed, feed_id
from tracker.feeds.state import catch_up, find_feed, get_feed
from tracker.slugs import negotiation_id
from tracker.store import EventStore


def feed_stream(fid: str) -> str:
    return f"feed-{fid}"


def resolve_source(url_or_path: str) -> str:
    """An http(s) URL as given, or an existing local file as its absolute path. Local files
    come only from a path typed on the command line: no file:// URLs, no other schemes."""
    scheme = urlsplit(url_or_path).scheme.lower()
    if scheme in ("http", "https"):
        if not urlsplit(url_or_path).netloc:
            raise UsageError(f"not a valid URL: {url_or_path}")
        return scheme + url_or_path[len(scheme) :]  # HTTP://host is a URL, not a path
    if len(scheme) > 1:  # a one-letter "scheme" is a Windows drive
        raise UsageError(
            f"only http and https feeds are fetched, or a local file given as a path; "
            f"not {scheme}: {url_or_path}"
        )
    path = Path(url_or_path).expanduser()
    if not path.is_file():
        raise UsageError(f"no such file: {url_or_path} (a feed is an http(s) URL or a file path)")
    return str(path.resolve())


def subscribe(
    store: EventStore,
    url: str,
    *,
    every_s: int,
    negotiation: str | None = None,
    full_text: bool = False,
    trust_links: bool = False,
    now: datetime | None = None,
) -> Feed:
    if negotiation is not None:
        negotiation_id(negotiation, "--negotiation")
    catch_up(store)
    existing = find_feed(store, url)
    if existing is not None and existing.status in ("active", "failing"):
        raise TrackerError(f"already subscribed to {existing.url}")
    fid = existing.feed_id if existing else feed_id(url)
    event = FeedSubscribed(
        feed_id=fid,
        url=url,
        negotiation=negotiation,
        every_s=every_s,
        full_text=full_text,
        trust_links=trust_links,
        at=now or datetime.now(UTC),
    )
    record(store, event)
    feed = get_feed(store, fid)
    assert feed is not None
    return feed


def remove(store: EventStore, url: str, now: datetime | None = None) -> Feed:
    catch_up(store)
    feed = find_feed(store, url)
    if feed is None or feed.status == "removed":
        raise TrackerError(f"no subscribed feed {url}; see `tracker feeds list`")
    record(store, FeedRemoved(feed_id=feed.feed_id, url=feed.url, at=now or datetime.now(UTC)))
    return feed


def record(store: EventStore, event: DomainEvent, expected_version: int | None = None) -> None:
    """Append a feed event to its feed's stream and fold it (and anything else new) in."""
    fid = getattr(event, "feed_id")  # noqa: B009  (every feed event has one)
    store.append(feed_stream(fid), [encode(event)], expected_version)
    catch_up(store)

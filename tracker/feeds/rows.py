"""What both feed-state implementations share: the columns of the feeds table and a row of
it as a Feed. Whether a feed's links are trusted is read from its latest subscription in the
log (an indexed lookup by stream), so the read model's tables need no new column; each backend
spells that lookup in its own SQL (TRUST_LINKS_SQLITE, TRUST_LINKS_PG)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tracker.feeds.model import Feed

FEED_TYPES = ("feed.subscribed", "feed.polled", "feed.failed", "feed.removed")
_BASE = (
    "feed_id, url, negotiation, every_s, full_text, status, last_poll_at, last_checked_at, "
    "last_status, last_error, last_warning, failures, retry_at, etag, last_modified, entries_seen"
)
TRUST_LINKS_SQLITE = (
    _BASE + ", (SELECT json_extract(e.payload, '$.trust_links') FROM events e"
    " WHERE e.stream = 'feed-' || feeds.feed_id AND e.type = 'feed.subscribed'"
    " ORDER BY e.version DESC LIMIT 1)"
)
TRUST_LINKS_PG = (
    _BASE + ", (SELECT ((e.payload::jsonb) -> 'trust_links')::boolean FROM events e"
    " WHERE e.stream = 'feed-' || feeds.feed_id AND e.type = 'feed.subscribed'"
    " ORDER BY e.version DESC LIMIT 1)"
)


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def feed_of(row: tuple[Any, ...]) -> Feed:
    return Feed(
        feed_id=row[0],
        url=row[1],
        negotiation=row[2],
        every_s=row[3],
        full_text=bool(row[4]),
        status=row[5],
        last_poll_at=_when(row[6]),
        last_checked_at=_when(row[7]),
        last_status=row[8],
        last_error=row[9],
        last_warning=row[10],
        failures=row[11],
        retry_at=_when(row[12]),
        etag=row[13],
        last_modified=row[14],
        entries_seen=row[15],
        trust_links=bool(row[16]),
    )

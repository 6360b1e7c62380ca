"""The feeds read model on SQLite: tables folded from the feed.* events
(migrations/0003_feeds.sql). Folding runs under the store's write lock from a checkpoint, so
any process can catch up with what any other appended, and dropping the tables and replaying
the log gives them back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from tracker.codec import decode
from tracker.events import DomainEvent, FeedFailed, FeedPolled, FeedRemoved, FeedSubscribed
from tracker.feeds.model import Feed
from tracker.feeds.model import feed_id as id_of
from tracker.feeds.rows import FEED_TYPES, feed_of, iso
from tracker.feeds.rows import TRUST_LINKS_SQLITE as _COLUMNS
from tracker.store import SQLiteEventStore


def catch_up(store: SQLiteEventStore) -> int:
    """Fold the feed events appended since the checkpoint; return how many were folded."""
    conn = store.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        after = conn.execute("SELECT position FROM feed_checkpoint WHERE id = 1").fetchone()[0]
        folded = 0
        for stored in store.read_all(after=after, types=FEED_TYPES):
            apply(conn, decode(stored))
            after, folded = stored.position, folded + 1
        conn.execute("UPDATE feed_checkpoint SET position = ? WHERE id = 1", (after,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return folded


def apply(conn: sqlite3.Connection, event: DomainEvent) -> None:
    if isinstance(event, FeedSubscribed):
        conn.execute(
            "INSERT INTO feeds (feed_id, url, negotiation, every_s, full_text, status,"
            " subscribed_at) VALUES (?, ?, ?, ?, ?, 'active', ?)"
            " ON CONFLICT (feed_id) DO UPDATE SET url = excluded.url,"
            " negotiation = excluded.negotiation, every_s = excluded.every_s,"
            " full_text = excluded.full_text, status = 'active', failures = 0,"
            " retry_at = NULL, last_error = NULL",
            (
                event.feed_id,
                event.url,
                event.negotiation,
                event.every_s,
                int(event.full_text),
                iso(event.at),
            ),
        )
    elif isinstance(event, FeedPolled):
        conn.execute(
            "UPDATE feeds SET url = ?, last_poll_at = ?,"
            " last_checked_at = MAX(COALESCE(last_checked_at, ''), ?),"
            " last_status = ?, last_error = NULL, last_warning = ?, failures = 0,"
            " retry_at = NULL, etag = ?, last_modified = ?,"
            " status = CASE WHEN status IN ('removed', 'gone') THEN status ELSE 'active' END"
            " WHERE feed_id = ?",
            (
                event.url,
                iso(event.at),
                iso(event.at),
                event.status,
                event.warning,
                event.etag,
                event.last_modified,
                event.feed_id,
            ),
        )
        # A feed is credited with the entries it was first to deliver, so that rival pollers
        # that both recorded an entry do not count it twice.
        first = 0
        for entry in event.entries:
            before = conn.total_changes
            conn.executemany(
                "INSERT OR IGNORE INTO feed_entries (key, article_id, feed_id, seen_at)"
                " VALUES (?, ?, ?, ?)",
                [(key, entry.article_id, event.feed_id, iso(event.at)) for key in entry.keys],
            )
            first += conn.total_changes - before == len(entry.keys)
        conn.execute(
            "UPDATE feeds SET entries_seen = entries_seen + ? WHERE feed_id = ?",
            (first, event.feed_id),
        )
    elif isinstance(event, FeedFailed):
        conn.execute(
            "UPDATE feeds SET last_poll_at = ?,"
            " last_checked_at = MAX(COALESCE(last_checked_at, ''), ?),"
            " last_status = ?, last_error = ?, failures = ?, retry_at = ?,"
            " status = CASE WHEN status = 'removed' THEN status"
            "  WHEN ? THEN 'gone' ELSE 'failing' END"
            " WHERE feed_id = ?",
            (
                iso(event.at),
                iso(event.at),
                event.status,
                event.reason,
                event.failures,
                iso(event.retry_at) if event.retry_at else None,
                int(event.gone),
                event.feed_id,
            ),
        )
    elif isinstance(event, FeedRemoved):
        conn.execute("UPDATE feeds SET status = 'removed' WHERE feed_id = ?", (event.feed_id,))


def feeds(store: SQLiteEventStore, include_removed: bool = False) -> list[Feed]:
    where = "" if include_removed else "WHERE status != 'removed'"
    rows = store.conn.execute(f"SELECT {_COLUMNS} FROM feeds {where} ORDER BY subscribed_at, url")
    return [feed_of(row) for row in rows]


def get_feed(store: SQLiteEventStore, feed_id: str) -> Feed | None:
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM feeds WHERE feed_id = ?", (feed_id,)
    ).fetchone()
    return feed_of(row) if row else None


def find_feed(store: SQLiteEventStore, url: str) -> Feed | None:
    """By its current URL, the URL it was subscribed with, or its id."""
    for value in (url, id_of(url)):
        row = store.conn.execute(
            f"SELECT {_COLUMNS} FROM feeds WHERE url = ? OR feed_id = ?"
            " ORDER BY status = 'removed' LIMIT 1",
            (value, value),
        ).fetchone()
        if row:
            return feed_of(row)
    return None


def seen_keys(store: SQLiteEventStore, keys: Iterable[str]) -> set[str]:
    wanted = list(keys)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0]
            for row in store.conn.execute(
                f"SELECT key FROM feed_entries WHERE key IN ({marks})", chunk
            )
        )
    return found


def touch_checked(store: SQLiteEventStore, feed_id: str, at: datetime) -> None:
    """An unchanged poll: no event, only the time of the last check."""
    store.conn.execute(
        "UPDATE feeds SET last_checked_at = MAX(COALESCE(last_checked_at, ''), ?)"
        " WHERE feed_id = ?",
        (iso(at), feed_id),
    )

"""The feeds read model on PostgreSQL (migrations/postgresql/0002_feeds.sql): the same tables
and fold as state_sqlite.py. Folders serialise on the checkpoint row (SELECT ... FOR UPDATE),
so any process can catch up with what any other appended. Every entry point turns a database
error into the tracker's StoreError (`_one_line`): a lost server is a one-line error."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Concatenate, ParamSpec, TypeVar

import psycopg

from tracker.codec import decode
from tracker.errors import StoreError
from tracker.events import DomainEvent, FeedFailed, FeedPolled, FeedRemoved, FeedSubscribed
from tracker.feeds.model import Feed
from tracker.feeds.model import feed_id as id_of
from tracker.feeds.rows import FEED_TYPES, feed_of, iso
from tracker.feeds.rows import TRUST_LINKS_PG as COLUMNS
from tracker.store.pg_migrate import first_line
from tracker.store.postgres import PostgresEventStore

CLAIM_LEASE_S = 600  # a claim older than this (its poller died mid-poll) may be taken over
P = ParamSpec("P")
R = TypeVar("R")


def _one_line(
    function: Callable[Concatenate[PostgresEventStore, P], R],
) -> Callable[Concatenate[PostgresEventStore, P], R]:
    @functools.wraps(function)
    def wrapped(store: PostgresEventStore, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(store, *args, **kwargs)
        except psycopg.Error as exc:
            raise StoreError(f"the feed state of {store.path}: {first_line(exc)}") from None

    return wrapped


@_one_line
def catch_up(store: PostgresEventStore) -> int:
    with store.conn.transaction(), store.conn.cursor() as cur:
        cur.execute("SELECT position FROM feed_checkpoint WHERE id = 1 FOR UPDATE")
        row = cur.fetchone()
        after, folded = (int(row[0]) if row else 0), 0
        for stored in store.read_all(after=after, types=FEED_TYPES):
            _apply(store, decode(stored))
            after, folded = stored.position, folded + 1
        cur.execute("UPDATE feed_checkpoint SET position = %s WHERE id = 1", (after,))
    return folded


def _apply(store: PostgresEventStore, event: DomainEvent) -> None:
    run = store.conn.execute
    if isinstance(event, FeedSubscribed):
        run(
            "INSERT INTO feeds (feed_id, url, negotiation, every_s, full_text, status,"
            " subscribed_at) VALUES (%s, %s, %s, %s, %s, 'active', %s)"
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
        at = iso(event.at)
        run(
            "UPDATE feeds SET url = %s, last_poll_at = %s,"
            " last_checked_at = GREATEST(COALESCE(last_checked_at, ''), %s),"
            " last_status = %s, last_error = NULL, last_warning = %s, failures = 0,"
            " retry_at = NULL, etag = %s, last_modified = %s,"
            " status = CASE WHEN status IN ('removed', 'gone') THEN status ELSE 'active' END"
            " WHERE feed_id = %s",
            (
                event.url,
                at,
                at,
                event.status,
                event.warning,
                event.etag,
                event.last_modified,
                event.feed_id,
            ),
        )
        # Credited with the entries it was first to deliver, as on SQLite.
        first = 0
        for entry in event.entries:
            cur = run(
                "INSERT INTO feed_entries (key, article_id, feed_id, seen_at)"
                " SELECT k, %s, %s, %s FROM unnest(%s::text[]) AS k ON CONFLICT DO NOTHING",
                (entry.article_id, event.feed_id, at, list(entry.keys)),
            )
            first += cur.rowcount == len(entry.keys)
        run(
            "UPDATE feeds SET entries_seen = entries_seen + %s WHERE feed_id = %s",
            (first, event.feed_id),
        )
    elif isinstance(event, FeedFailed):
        at = iso(event.at)
        run(
            "UPDATE feeds SET last_poll_at = %s,"
            " last_checked_at = GREATEST(COALESCE(last_checked_at, ''), %s),"
            " last_status = %s, last_error = %s, failures = %s, retry_at = %s,"
            " status = CASE WHEN status = 'removed' THEN status"
            "  WHEN %s THEN 'gone' ELSE 'failing' END"
            " WHERE feed_id = %s",
            (
                at,
                at,
                event.status,
                event.reason,
                event.failures,
                iso(event.retry_at) if event.retry_at else None,
                bool(event.gone),
                event.feed_id,
            ),
        )
    elif isinstance(event, FeedRemoved):
        run("UPDATE feeds SET status = 'removed' WHERE feed_id = %s", (event.feed_id,))


@_one_line
def feeds(store: PostgresEventStore, include_removed: bool = False) -> list[Feed]:
    where = "" if include_removed else "WHERE status != 'removed'"
    sql = f"SELECT {COLUMNS} FROM feeds {where} ORDER BY subscribed_at, url"
    return [feed_of(row) for row in store.conn.execute(sql.encode())]


@_one_line
def get_feed(store: PostgresEventStore, feed_id: str) -> Feed | None:
    sql = f"SELECT {COLUMNS} FROM feeds WHERE feed_id = %s"
    row = store.conn.execute(sql.encode(), (feed_id,)).fetchone()
    return feed_of(row) if row else None


@_one_line
def find_feed(store: PostgresEventStore, url: str) -> Feed | None:
    sql = (
        f"SELECT {COLUMNS} FROM feeds WHERE url = %s OR feed_id = %s"
        " ORDER BY status = 'removed' LIMIT 1"
    )
    for value in (url, id_of(url)):
        row = store.conn.execute(sql.encode(), (value, value)).fetchone()
        if row:
            return feed_of(row)
    return None


@_one_line
def seen_keys(store: PostgresEventStore, keys: Iterable[str]) -> set[str]:
    rows = store.conn.execute(
        "SELECT key FROM feed_entries WHERE key = ANY(%s)", (list(keys),)
    ).fetchall()
    return {row[0] for row in rows}


@_one_line
def touch_checked(store: PostgresEventStore, feed_id: str, at: datetime) -> None:
    store.conn.execute(
        "UPDATE feeds SET last_checked_at = GREATEST(COALESCE(last_checked_at, ''), %s)"
        " WHERE feed_id = %s",
        (iso(at), feed_id),
    )


@_one_line
def claim_round(store: PostgresEventStore, feed: Feed, owner: str) -> bool:
    """Claim this round of `feed`: its last check as this poller sees it. The upsert takes the
    row lock, so of rivals claiming the same round exactly one gets a row back; a poller with
    a staler view (an earlier round) never wins, and a claim left by a dead poller lapses."""
    last = feed.last_checked_at or feed.last_poll_at
    row = store.conn.execute(
        "INSERT INTO feed_claims (feed_id, round, claimed_by) VALUES (%s, %s, %s)"
        " ON CONFLICT (feed_id) DO UPDATE SET round = excluded.round,"
        " claimed_by = excluded.claimed_by, claimed_at = now()"
        " WHERE feed_claims.round < excluded.round"
        " OR feed_claims.claimed_at < now() - make_interval(secs => %s)"
        " RETURNING feed_id",
        (feed.feed_id, iso(last) if last else "", owner, CLAIM_LEASE_S),
    ).fetchone()
    return row is not None

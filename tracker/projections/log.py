"""Reading the log for the projections: stored rows -> Facts, the amendments (retractions and
corrections) that apply to them, and the negotiations of each article."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from tracker.events import NEGOTIATION_TYPES
from tracker.projections.facts import UNASSIGNED, Fact, from_payload
from tracker.query import AMENDMENTS
from tracker.store.base import StoredEvent
from tracker.store.sqlite import SQLiteEventStore
from tracker.upcast import upcast

NEGOTIATION = frozenset(NEGOTIATION_TYPES)
PAGE = 5000  # rows read per query: memory stays flat and no read is held open across a write

# position, event_id, type, schema_version, payload, recorded_at
Row = tuple[int, str, str, int, str, str]


def rows(store: SQLiteEventStore, after: int, upto: int) -> Iterator[Row]:
    """The log rows in (after, upto], in order; the payload still JSON text, so that events
    the projections skip are never parsed."""
    conn = store.conn
    while after < upto:
        page = conn.execute(
            "SELECT position, event_id, type, schema_version, payload, recorded_at FROM events "
            "WHERE position > ? AND position <= ? ORDER BY position LIMIT ?",
            (after, upto, PAGE),
        ).fetchall()
        if not page:
            return
        yield from page
        after = page[-1][0]


# The rebuild's order: facts.fold_key's four parts, computed by SQLite from the stored payload
# (an upcast or corrected payload may sort elsewhere: the fold checks each key and folds such
# a negotiation again). SQLite sorts the (key, position) pairs, then reads the rows by position.
_KEYED = """
SELECT substr(coalesce(
           CASE WHEN coalesce(json_extract(payload, '$.modality'), 'asserted')
                     IN ('asserted', 'negated')
                THEN coalesce(json_extract(payload, '$.occurred'),
                              json_extract(payload, '$.published'))
                ELSE coalesce(json_extract(payload, '$.published'),
                              json_extract(payload, '$.occurred')) END,
           recorded_at), 1, 10) AS day,
       coalesce(json_extract(payload, '$.article_id'), '') AS article,
       position, event_id
FROM events WHERE position <= ? AND type IN ({types})
"""
SORTED = f"""
SELECT e.position, e.event_id, e.type, e.schema_version, e.payload, e.recorded_at
FROM ({_KEYED.format(types=",".join(repr(t) for t in sorted(NEGOTIATION)))}) AS k
JOIN events AS e ON e.position = k.position
ORDER BY k.day, k.article, CASE k.article WHEN '' THEN 0 ELSE k.position END, k.event_id
"""


def sorted_rows(store: SQLiteEventStore, upto: int) -> Iterator[Row]:
    """The negotiation events up to `upto`, in fold order (see facts.fold_key)."""
    yield from store.conn.execute(SORTED, (upto,))


def rows_at(store: SQLiteEventStore, positions: Iterable[int]) -> Iterator[Row]:
    """The log rows at these positions (in position order)."""
    wanted = sorted(positions)
    for first in range(0, len(wanted), 500):
        chunk = wanted[first : first + 500]
        yield from store.conn.execute(
            "SELECT position, event_id, type, schema_version, payload, recorded_at FROM events "
            f"WHERE position IN ({','.join('?' * len(chunk))}) ORDER BY position",
            chunk,
        )


def fact_of(row: Row) -> Fact:
    position, event_id, type_, version, payload, recorded_at = row
    return from_payload(
        type_, upcast(type_, version, orjson.loads(payload)), position, event_id, recorded_at
    )


def to_fact(stored: StoredEvent) -> Fact:
    payload = upcast(stored.type, stored.schema_version, stored.payload)
    return from_payload(stored.type, payload, stored.position, stored.event_id, stored.recorded_at)


@dataclass
class Amendments:
    retracted: set[str] = field(default_factory=set)
    corrected: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(
        cls, store: SQLiteEventStore, upto: int | None = None, known_at: str | None = None
    ) -> Amendments:
        found = cls()
        for stored in store.read_all(types=AMENDMENTS):
            if upto is not None and stored.position > upto:
                break
            if known_at is not None and stored.recorded_at > known_at:
                continue
            target = stored.payload["event_id"]
            if stored.type == "event.retracted":
                found.retracted.add(target)
            else:
                found.corrected.setdefault(target, {}).update(stored.payload["changes"])
        return found

    def apply(self, fact: Fact) -> Fact | None:
        if fact.event_id in self.retracted:
            return None
        changes = self.corrected.get(fact.event_id)
        return fact.corrected(changes) if changes else fact


class ArticleNegotiations:
    """The negotiations of an article, for its events that name none themselves."""

    def __init__(self, store: SQLiteEventStore) -> None:
        self.store = store
        self.known: dict[str, tuple[str, ...]] = {}
        self.complete = False  # every article is known (preloaded): keep them all

    def remember(self, article_id: str, negotiations: Any) -> None:
        self.known[article_id] = tuple(negotiations or ())
        if len(self.known) > 50_000 and not self.complete:
            self.known.clear()

    def preload(self) -> None:
        """Every article's negotiations at once (a rebuild meets articles in date order)."""
        for article_id, told in self.store.conn.execute(
            "SELECT json_extract(payload, '$.article_id'), json_extract(payload, '$.negotiations')"
            " FROM events WHERE type = 'article.ingested'"
        ):
            self.known[article_id] = tuple(orjson.loads(told)) if told else ()
        self.complete = True

    def remember_row(self, row: Row) -> None:
        payload = orjson.loads(row[4])
        self.remember(payload["article_id"], payload.get("negotiations"))

    def of(self, fact: Fact) -> tuple[str, ...]:
        return self.of_told(fact.negotiations, fact.article_id)

    def of_told(self, negotiations: Any, article_id: str | None) -> tuple[str, ...]:
        """The negotiations an event names, else its article's, else UNASSIGNED."""
        if negotiations:
            return tuple(negotiations)
        if article_id is None:
            return (UNASSIGNED,)
        if article_id not in self.known:
            found: tuple[str, ...] = ()
            for stored in self.store.read_stream(f"article-{article_id}"):
                if stored.type == "article.ingested":
                    found = tuple(stored.payload.get("negotiations") or ())
                break
            self.known[article_id] = found
        return self.known[article_id] or (UNASSIGNED,)


def read_facts(
    store: SQLiteEventStore,
    amendments: Amendments,
    articles: ArticleNegotiations,
    upto: int | None = None,
    known_at: str | None = None,
) -> Iterator[tuple[Fact, tuple[str, ...]]]:
    """Negotiation events in log order, amended, with the negotiations each belongs to."""
    for row in rows(store, 0, store.head() if upto is None else upto):
        type_ = row[2]
        if type_ not in NEGOTIATION and type_ != "article.ingested":
            continue
        if known_at is not None and row[5] > known_at:
            continue
        if type_ == "article.ingested":
            articles.remember_row(row)
            continue
        fact = amendments.apply(fact_of(row))
        if fact is not None:
            yield fact, articles.of(fact)

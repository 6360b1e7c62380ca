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
from tracker.store.base import EventStore, StoredEvent
from tracker.store.readmodels import Row, read_models
from tracker.upcast import CURRENT, upcast

NEGOTIATION = frozenset(NEGOTIATION_TYPES)
_FOLDED_TYPES = tuple(sorted(NEGOTIATION))


def rows(store: EventStore, after: int, upto: int) -> Iterator[Row]:
    """The log rows in (after, upto], in order; the payload still JSON text, so that events
    the projections skip are never parsed."""
    return read_models(store).rows(after, upto)


def sorted_rows(store: EventStore, upto: int) -> Iterator[Row]:
    """The negotiation events up to `upto`, in fold order (see facts.fold_key; an upcast or
    corrected payload may sort elsewhere: the fold checks each key and folds such a
    negotiation again)."""
    return read_models(store).sorted_rows(upto, _FOLDED_TYPES)


def rows_at(store: EventStore, positions: Iterable[int]) -> Iterator[Row]:
    """The log rows at these positions (in position order)."""
    return read_models(store).rows_at(positions)


def fact_of(row: Row) -> Fact:
    position, event_id, type_, version, payload, recorded_at = row
    data = orjson.loads(payload)
    if version != CURRENT[type_]:  # the usual case is current: no call
        data = upcast(type_, version, data)
    return from_payload(type_, data, position, event_id, recorded_at)


def to_fact(stored: StoredEvent) -> Fact:
    payload = upcast(stored.type, stored.schema_version, stored.payload)
    return from_payload(stored.type, payload, stored.position, stored.event_id, stored.recorded_at)


@dataclass
class Amendments:
    retracted: set[str] = field(default_factory=set)
    corrected: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(
        cls, store: EventStore, upto: int | None = None, known_at: str | None = None
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

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.known: dict[str, tuple[str, ...]] = {}
        self.complete = False  # every article is known (preloaded): keep them all

    def remember(self, article_id: str, negotiations: Any) -> None:
        self.known[article_id] = tuple(negotiations or ())
        if len(self.known) > 50_000 and not self.complete:
            self.known.clear()

    def preload(self) -> None:
        """Every article's negotiations at once (a rebuild meets articles in date order)."""
        for article_id, told in read_models(self.store).article_negotiations():
            self.known[article_id] = told
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
    store: EventStore,
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

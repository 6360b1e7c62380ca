"""The timeline: one entry per happening. Reports from different articles of the same type,
actor, target and modality within a few days are one happening told several times; the entry
counts its independent sources and keeps each evidence line."""

from __future__ import annotations

import datetime as dt
import hashlib

from pydantic import Field

from tracker.projections.facts import Fact
from tracker.projections.rules import describe
from tracker.projections.status import Model

WINDOW_DAYS = 3
KEEP_LINES = 50  # evidence lines kept per entry; `sources` still counts every one

Key = tuple[str, str, str, str, str]


class TimelineLine(Model):
    text: str
    source: str
    source_url: str | None = None
    article_id: str | None = None
    date: dt.date | None = None
    event_id: str


class Entry(Model):
    id: str
    negotiation: str
    date: dt.date | None = None
    type: str
    actor: str
    target: str | None = None
    modality: str
    summary: str
    sources: int = 1
    source_names: list[str] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list)
    events: list[str] = Field(default_factory=list)
    evidence: list[TimelineLine] = Field(default_factory=list)
    first_position: int
    last_position: int

    @property
    def key(self) -> Key:
        return (
            self.negotiation,
            self.type,
            self.actor.casefold(),
            _fold(self.target),
            self.modality,
        )


def key_of(negotiation: str, fact: Fact) -> Key:
    return (negotiation, fact.type, fact.actor.casefold(), _fold(fact.target), fact.modality)


def _fold(value: str | None) -> str:
    return (value or "").casefold()


def joins(entry: Entry, fact: Fact) -> bool:
    """Does this report tell the entry's happening again (from another article)?"""
    if fact.article_id is None or fact.article_id in entry.articles:
        return False  # one article telling two of them means two happenings
    when = fact.valid_date
    return entry.date is None or when is None or abs((when - entry.date).days) <= WINDOW_DAYS


def entry_id(negotiation: str, fact: Fact) -> str:
    """Stable across rebuilds, and distinct for an event that belongs to two negotiations."""
    return hashlib.sha256(f"{negotiation}\x1f{fact.event_id}".encode()).hexdigest()[:16]


def start(negotiation: str, fact: Fact) -> Entry:
    entry = Entry(
        id=entry_id(negotiation, fact),
        negotiation=negotiation,
        date=fact.valid_date,
        type=fact.type,
        actor=fact.actor,
        target=fact.target,
        modality=fact.modality,
        summary=describe(fact),
        sources=0,
        first_position=fact.position,
        last_position=fact.position,
    )
    add(entry, fact)
    return entry


def add(entry: Entry, fact: Fact) -> None:
    if fact.source not in entry.source_names:
        entry.source_names.append(fact.source)
    entry.sources = len(entry.source_names)
    if fact.article_id and fact.article_id not in entry.articles:
        entry.articles.append(fact.article_id)
    entry.events.append(fact.event_id)
    entry.last_position = max(entry.last_position, fact.position)
    for text in fact.evidence or (describe(fact),):
        entry.evidence.append(
            TimelineLine(
                text=text,
                source=fact.source,
                source_url=fact.source_url,
                article_id=fact.article_id,
                date=fact.valid_date,
                event_id=fact.event_id,
            )
        )
    del entry.evidence[KEEP_LINES:]


def place(candidates: list[Entry], negotiation: str, fact: Fact) -> tuple[Entry, bool]:
    """Merge the fact into the first candidate it retells, or start a new entry.
    Returns the entry and whether it is new."""
    for entry in candidates:
        if joins(entry, fact):
            add(entry, fact)
            return entry, False
    return start(negotiation, fact), True


def group(negotiation: str, facts: list[Fact]) -> list[Entry]:
    """The timeline of a list of facts, in memory (for as-of views and tests)."""
    by_key: dict[Key, list[Entry]] = {}
    entries: list[Entry] = []
    for fact in facts:
        bucket = by_key.setdefault(key_of(negotiation, fact), [])
        entry, new = place(bucket, negotiation, fact)
        if new:
            bucket.append(entry)
            entries.append(entry)
    return ordered(entries)


def ordered(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.date or dt.date.max, e.first_position))

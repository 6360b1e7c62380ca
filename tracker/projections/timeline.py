"""The timeline: one entry per happening. Reports from different articles of the same type,
actor, target and modality within a few days are one happening told several times; the entry
counts its independent sources and keeps each evidence line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import Field

from tracker.projections.facts import Fact, fold_case
from tracker.projections.status import Model
from tracker.projections.words import describe

WINDOW_DAYS = 3
KEEP_LINES = 50  # evidence lines shown per entry; `sources` still counts every report

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


@dataclass(slots=True)
class Happening:
    """An entry while it is being grouped: the header, without its evidence lines (cheap to
    keep a million of them flowing through a rebuild)."""

    id: str
    negotiation: str
    date: dt.date | None
    type: str
    actor: str
    target: str | None
    modality: str
    first_position: int
    last_position: int
    source_names: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)  # of the reports it holds, in log order

    @property
    def key(self) -> Key:
        """The key_of the reports it groups."""
        actor, target = self.actor.casefold(), fold_case(self.target)
        return (self.negotiation, self.type, actor, target, self.modality)


def key_of(negotiation: str, fact: Fact) -> Key:
    """Reports that may be one happening: same negotiation, type, actor, target, modality."""
    return (negotiation, fact.type, fact.actor.casefold(), fold_case(fact.target), fact.modality)


def entry_id(negotiation: str, fact: Fact) -> str:
    """Stable across rebuilds, and distinct for an event that belongs to two negotiations."""
    return f"{negotiation}/{fact.position}"


def joins(happening: Happening, fact: Fact) -> bool:
    """Does this report tell the happening again? Only from another article (one article
    telling two of them means two happenings), and only when both are dated, days apart."""
    if fact.article_id is None or fact.article_id in happening.articles:
        return False
    when = fact.valid_date
    if when is None or happening.date is None:
        return False
    return abs((when - happening.date).days) <= WINDOW_DAYS


def start(negotiation: str, fact: Fact) -> Happening:
    happening = Happening(
        id=entry_id(negotiation, fact),
        negotiation=negotiation,
        date=fact.valid_date,
        type=fact.type,
        actor=fact.actor,
        target=fact.target,
        modality=fact.modality,
        first_position=fact.position,
        last_position=fact.position,
    )
    add(happening, fact)
    return happening


def add(happening: Happening, fact: Fact) -> None:
    source = fact.source
    if source not in happening.source_names:
        happening.source_names.append(source)
    if fact.article_id and fact.article_id not in happening.articles:
        happening.articles.append(fact.article_id)
    if fact.position > happening.last_position:
        happening.last_position = fact.position
    happening.positions.append(fact.position)


def place(candidates: Iterable[Happening], negotiation: str, fact: Fact) -> tuple[Happening, bool]:
    """Merge the fact into the first candidate it retells (in date order), or start a new
    happening. Returns it and whether it is new."""
    for happening in sorted(candidates, key=_order):
        if joins(happening, fact):
            add(happening, fact)
            return happening, False
    return start(negotiation, fact), True


def _order(happening: Happening) -> tuple[dt.date, int]:
    return (happening.date or dt.date.max, happening.first_position)


def lines(facts: Iterable[Fact]) -> list[TimelineLine]:
    out = []
    for fact in facts:
        for text in fact.evidence or (describe(fact),):
            out.append(
                TimelineLine(
                    text=text,
                    source=fact.source,
                    source_url=fact.source_url,
                    article_id=fact.article_id,
                    date=fact.valid_date,
                    event_id=fact.event_id,
                )
            )
    return out[:KEEP_LINES]


def entry(happening: Happening, facts: list[Fact]) -> Entry:
    """The entry as shown: the header and the evidence lines of the facts it holds."""
    return Entry(
        id=happening.id,
        negotiation=happening.negotiation,
        date=happening.date,
        type=happening.type,
        actor=happening.actor,
        target=happening.target,
        modality=happening.modality,
        # the first report in words (the fact that started the happening)
        summary=describe(facts[0]) if facts else f"{happening.actor} {happening.type}",
        sources=len(happening.source_names),
        source_names=list(happening.source_names),
        articles=list(happening.articles),
        events=[f.event_id for f in facts],
        evidence=lines(facts),
        first_position=happening.first_position,
        last_position=happening.last_position,
    )


def happenings(negotiation: str, facts: list[Fact]) -> list[tuple[Happening, list[Fact]]]:
    """Group facts (in log order) into happenings, each with the facts it holds."""
    by_key: dict[Key, list[Happening]] = {}
    members: dict[str, list[Fact]] = {}
    found: list[Happening] = []
    for fact in facts:
        bucket = by_key.setdefault(key_of(negotiation, fact), [])
        happening, new = place(bucket, negotiation, fact)
        if new:
            bucket.append(happening)
            found.append(happening)
        members.setdefault(happening.id, []).append(fact)
    return [(h, members[h.id]) for h in found]


def group(negotiation: str, facts: list[Fact]) -> list[Entry]:
    """The timeline of a list of facts, in memory (for as-of views and tests)."""
    return ordered([entry(h, members) for h, members in happenings(negotiation, facts)])


def ordered(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.date or dt.date.max, e.first_position))

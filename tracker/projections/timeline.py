"""The timeline: one entry per happening. Reports from different articles of the same type,
actor, target and modality within a few days are one happening told several times; the entry
counts its independent sources and keeps each evidence line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import Field

from tracker.projections.facts import Fact, by_valid_time, fold_case, fold_key
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
    rank: str = ""  # the fold_key of its first report: its place among entries of its day
    source_names: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)  # of the reports it holds, in fold order

    @property
    def key(self) -> Key:
        """The key_of the reports it groups."""
        actor, target = self.actor.casefold(), fold_case(self.target)
        return (self.negotiation, self.type, actor, target, self.modality)


def key_of(negotiation: str, fact: Fact) -> Key:
    """Reports that may be one happening: same negotiation, type, actor, target, modality."""
    return (negotiation, fact.type, fact.actor.casefold(), fold_case(fact.target), fact.modality)


def entry_id(negotiation: str, fact: Fact) -> str:
    """From the first report's id: the same in any copy of the log and across rebuilds, and
    distinct for an event that belongs to two negotiations."""
    return f"{negotiation}/{fact.event_id}"


def start(negotiation: str, fact: Fact, rank: str = "") -> Happening:
    """A happening of one report: what `add` would make of an empty one, built at once (a
    rebuild starts one per event or nearly: entry_id and valid_date are spelled out here)."""
    position, article = fact.position, fact.article_id
    return Happening(
        f"{negotiation}/{fact.event_id}",
        negotiation,
        fact.occurred or fact.published,
        fact.type,
        fact.actor,
        fact.target,
        fact.modality,
        position,
        position,
        rank or fold_key(fact),
        [fact.source],
        [article] if article else [],
        [position],
    )


def add(happening: Happening, fact: Fact) -> None:
    source = fact.source
    if source not in happening.source_names:
        happening.source_names.append(source)
    if fact.article_id and fact.article_id not in happening.articles:
        happening.articles.append(fact.article_id)
    if fact.position > happening.last_position:
        happening.last_position = fact.position
    happening.positions.append(fact.position)


Days = dict[int, list[Happening]]  # the happenings of one key, by the ordinal of their date


def find(days: Days, fact: Fact) -> Happening | None:
    """The happening this report retells, if any: one of the same key dated within
    WINDOW_DAYS and not told by the same article (one article telling two of them means two
    happenings); of several, the first in timeline order. Only the days of the window are
    looked at, never every happening of the key."""
    when = fact.valid_date
    article = fact.article_id
    if when is None or article is None:  # undated or hand-added: a happening of its own
        return None
    day = when.toordinal()
    for offset in range(-WINDOW_DAYS, WINDOW_DAYS + 1):
        best = None
        for happening in days.get(day + offset, ()):
            if article not in happening.articles and (best is None or happening.rank < best.rank):
                best = happening
        if best is not None:
            return best
    return None


class Grouping:
    """The happenings of a fold, by key and day. Fed in fold order, it groups a negotiation's
    reports the same way whatever order the log holds them in."""

    def __init__(self) -> None:
        self.by_key: dict[Key, Days] = {}

    def place(
        self, negotiation: str, fact: Fact, rank: str = "", key: Key | None = None
    ) -> tuple[Happening, bool]:
        """Merge the fact into the happening it retells, or start a new one (`key`: its
        key_of, if the caller has it). Returns it and whether it is new."""
        if key is None:
            key = key_of(negotiation, fact)
        days = self.by_key.get(key)
        found = find(days, fact) if days else None
        if found is not None:
            add(found, fact)
            return found, False
        happening = start(negotiation, fact, rank)
        if happening.date is not None:  # a new one: no need to look for it first
            if days is None:
                days = self.by_key[key] = {}
            days.setdefault(happening.date.toordinal(), []).append(happening)
        return happening, True

    def hold(self, key: Key, happening: Happening) -> bool:
        """Keep a dated happening where `find` looks for it; False if already held."""
        if happening.date is None:
            return False
        day = self.by_key.setdefault(key, {}).setdefault(happening.date.toordinal(), [])
        if any(held.id == happening.id for held in day):
            return False
        day.append(happening)
        return True


def in_order(happenings: Iterable[Happening]) -> list[Happening]:
    """Timeline order: by date (undated last), then by first report in fold order."""
    return sorted(happenings, key=lambda h: (h.date or dt.date.max, h.rank))


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


def happenings(negotiation: str, facts: Iterable[Fact]) -> list[tuple[Happening, list[Fact]]]:
    """Group facts (in any order: they are grouped in fold order) into happenings, each with
    the facts it holds, in timeline order."""
    grouping = Grouping()
    members: dict[str, list[Fact]] = {}
    found: list[Happening] = []
    for fact in by_valid_time(facts):
        happening, new = grouping.place(negotiation, fact)
        if new:
            found.append(happening)
        members.setdefault(happening.id, []).append(fact)
    return [(h, members[h.id]) for h in in_order(found)]


def group(negotiation: str, facts: Iterable[Fact]) -> list[Entry]:
    """The timeline of some facts, in memory (for as-of and known-at views, and tests)."""
    return [entry(h, members) for h, members in happenings(negotiation, facts)]

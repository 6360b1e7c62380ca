"""The timeline read model (table projection_timeline, in the read-model store):
one row per entry, keyed by negotiation, day and rank. `TimelineIndex` holds the entries a fold
may still merge reports into; `load_timeline` reads entries back with their evidence, the
whole timeline or its last entries, a page at a time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import orjson

from tracker.projections.facts import Fact, fold_case, iso_day
from tracker.projections.log import Amendments, fact_of, rows_at
from tracker.projections.timeline import (
    WINDOW_DAYS,
    Entry,
    Grouping,
    Happening,
    Key,
    entry,
    in_order,
    key_of,
)
from tracker.store.base import EventStore
from tracker.store.readmodels import read_models

CACHE_ENTRIES = 20_000  # entries kept in memory between flushes
PAGE = 500  # entries read back per query


def match_key(key: Key) -> str:
    """The key without the negotiation (a column of its own)."""
    return "\x1f".join(key[1:])


def row_of(h: Happening) -> tuple[Any, ...]:
    """The entry's row, in readmodels.TIMELINE_COLUMNS order (its summary is worded when it
    is read, from its first report). A rebuild writes one per entry: orjson is called here."""
    dumps = orjson.dumps
    positions = h.positions
    return (
        h.negotiation,
        iso_day(h.date) if h.date else "",
        h.rank,
        h.id,
        h.first_position,
        h.type,
        h.actor,
        h.target,
        h.modality,
        len(h.source_names),
        dumps(h.source_names).decode(),
        dumps(h.articles).decode(),
        f"[{positions[0]}]" if len(positions) == 1 else dumps(positions).decode(),
        h.last_position,
        f"{h.type}\x1f{h.actor.casefold()}\x1f{fold_case(h.target)}\x1f{h.modality}",  # match_key
    )


def happening_of(row: tuple[Any, ...]) -> Happening:
    return Happening(
        id=row[3],
        negotiation=row[0],
        date=date.fromisoformat(row[1]) if row[1] else None,
        rank=row[2],
        type=row[5],
        actor=row[6],
        target=row[7],
        modality=row[8],
        source_names=orjson.loads(row[10]),
        articles=orjson.loads(row[11]),
        positions=orjson.loads(row[12]),
        first_position=row[4],
        last_position=row[13],
    )


class TimelineIndex:
    """The timeline entries a fold may merge into: loaded from the table by key and date window
    on demand, kept in memory while recent, written back when changed. The fold feeds it in
    fold order, so the entries it starts are the ones an in-memory grouping would start."""

    def __init__(self, store: EventStore, fresh: bool) -> None:
        self.tables = read_models(store)
        self.grouping = Grouping()
        self.dirty: dict[str, Happening] = {}
        self.resets: set[str] = set()
        self.complete: set[str] = set()  # negotiations whose whole timeline is in memory
        # in a fresh fold every entry dated on or after this day is in memory
        self.complete_from = date.min if fresh else None
        self.queried: set[tuple[Key, date]] = set()
        self.latest: date | None = None  # the newest known_date placed: the fold's clock
        self.size = 0
        self.by_day: dict[date, list[Key]] = {}  # what to evict, day by day

    def place(self, negotiation: str, fact: Fact, rank: str = "") -> None:
        when = fact.occurred or fact.published  # valid_date, spelled out: once per event
        clock = fact.known_date
        if clock is not None and (self.latest is None or clock > self.latest):
            self.latest = clock
        key = key_of(negotiation, fact)
        if (
            when is not None
            and when < self.complete_after
            and negotiation not in self.complete
            and (key, when) not in self.queried
        ):
            self._load(key, when)
            self.queried.add((key, when))
        happening, new = self.grouping.place(negotiation, fact, rank, key)
        if new and happening.date is not None:
            self.size += 1  # as _held does
            self.by_day.setdefault(happening.date, []).append(key)
        self.dirty[happening.id] = happening

    def _held(self, key: Key, day: date) -> None:
        self.size += 1
        self.by_day.setdefault(day, []).append(key)

    @property
    def complete_from(self) -> date | None:
        return self._complete_from

    @complete_from.setter
    def complete_from(self, day: date | None) -> None:
        self._complete_from = day
        # a fact dated on or after this day finds every entry it could join in memory
        self.complete_after = date.max if day is None else day + timedelta(days=WINDOW_DAYS)

    def _load(self, key: Key, when: date) -> None:
        window = timedelta(days=WINDOW_DAYS)
        rows = self.tables.timeline_window(
            key[0], (when - window).isoformat(), (when + window).isoformat(), match_key(key)
        )
        for row in rows:
            happening = happening_of(row)
            if happening.date is not None and self.grouping.hold(key, happening):
                self._held(key, happening.date)

    def reset(self, negotiation: str, grouped: list[Happening]) -> None:
        """Replace a negotiation's whole timeline (after a late report, a retraction or a
        correction)."""
        by_key = self.grouping.by_key
        for key in [k for k in by_key if k[0] == negotiation]:
            self.size -= sum(len(day) for day in by_key.pop(key).values())
        self.dirty = {i: h for i, h in self.dirty.items() if h.negotiation != negotiation}
        for happening in grouped:
            if self.grouping.hold(happening.key, happening) and happening.date is not None:
                self._held(happening.key, happening.date)
            self.dirty[happening.id] = happening
        self.resets.add(negotiation)
        self.complete.add(negotiation)

    def replace_key(self, key: Key, grouped: list[Happening]) -> None:
        """Replace every entry of one key (after a late report of that key): in the table at
        once, inside the caller's transaction, and in memory, which then holds them all."""
        negotiation, match = key[0], match_key(key)
        self.tables.delete_timeline(negotiation, match)
        self.tables.put_timeline([row_of(h) for h in grouped])
        days = self.grouping.by_key.pop(key, None)
        if days is not None:
            self.size -= sum(len(day) for day in days.values())
        self.dirty = {i: h for i, h in self.dirty.items() if h.key != key}
        for happening in grouped:
            if self.grouping.hold(key, happening) and happening.date is not None:
                self._held(key, happening.date)

    def positions_of_key(self, key: Key) -> set[int]:
        return self.tables.timeline_positions(key[0], match_key(key))

    def write(self) -> None:
        """Write the changed entries (inside the caller's transaction)."""
        for negotiation in self.resets:
            self.tables.delete_timeline(negotiation)
        self.tables.put_timeline([row_of(h) for h in self.dirty.values()])
        self.dirty.clear()
        self.resets.clear()

    def evict(self) -> None:
        """Once written, entries more than a week older than the fold's clock leave memory
        (the table has them); the scan runs only once the cache has grown again."""
        if self.size <= CACHE_ENTRIES or self.latest is None:
            return
        horizon = self.latest - timedelta(days=7)
        by_key = self.grouping.by_key
        for day in sorted(d for d in self.by_day if d < horizon):
            ordinal = day.toordinal()
            for key in self.by_day.pop(day):
                days = by_key.get(key)
                if days is not None and (gone := days.pop(ordinal, None)) is not None:
                    self.size -= len(gone)
                    if not days:
                        del by_key[key]
        if self.complete_from is not None:
            self.complete_from = max(self.complete_from, horizon)
        self.complete.clear()
        self.queried.clear()


def positions_of(store: EventStore, negotiation: str) -> set[int]:
    """Every log position the negotiation's timeline holds: all the facts folded into it."""
    return read_models(store).timeline_positions(negotiation)


def load_timeline(
    store: EventStore,
    negotiation: str,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
) -> list[Entry]:
    """The stored timeline in timeline order, with each entry's evidence read from the events
    it holds; with `limit`, only its last `limit` entries (the most recent)."""
    return [e for page in timeline_pages(store, negotiation, since, until, limit) for e in page]


def timeline_pages(
    store: EventStore,
    negotiation: str,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
) -> Iterator[list[Entry]]:
    """The stored timeline, PAGE entries at a time (memory flat in history)."""
    tables = read_models(store)
    first = since.isoformat() if since is not None else None
    last = until.isoformat() if until is not None else None
    amendments = Amendments.load(store)
    if limit is not None:
        # the last `limit` entries in timeline order: undated ones come last, so first here
        undated = tables.timeline_last(negotiation, first, last, False, limit)
        dated = tables.timeline_last(negotiation, first, last, True, limit - len(undated))
        headers = in_order(happening_of(r) for r in dated + undated)
        yield _entries(store, headers, amendments)
        return
    # dated entries by (date, rank), then the undated ones: keyset pages over the primary key
    for dated_ in (True, False):
        after: tuple[str, str] = ("", "")
        while rows := tables.timeline_page(negotiation, first, last, dated_, after, PAGE):
            yield _entries(store, [happening_of(r) for r in rows], amendments)
            after = (rows[-1][1], rows[-1][2])


def _entries(store: EventStore, headers: list[Happening], amendments: Amendments) -> list[Entry]:
    """The entries of these headers (in their order), each with the facts it holds, in the
    order it holds them."""
    wanted = {p for h in headers for p in h.positions}
    found: dict[int, Fact] = {}
    for row in rows_at(store, wanted):
        fact = amendments.apply(fact_of(row))
        if fact is not None:
            found[row[0]] = fact
    return [entry(h, [found[p] for p in h.positions if p in found]) for h in headers]

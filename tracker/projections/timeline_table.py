"""The timeline read model in SQLite (table projection_timeline, 0005_fold_by_valid_time.sql):
one row per entry, keyed by negotiation, day and rank. `TimelineIndex` holds the entries a fold
may still merge reports into; `load_timeline` reads entries back with their evidence, the
whole timeline or its last entries, a page at a time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import orjson

from tracker.projections.facts import Fact, fold_case, from_payload
from tracker.projections.log import Amendments
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
from tracker.store.sqlite import SQLiteEventStore
from tracker.upcast import upcast

CACHE_ENTRIES = 20_000  # entries kept in memory between flushes
PAGE = 500  # entries read back per query
COLUMNS = (
    "negotiation, date, rank, id, first_position, type, actor, target, modality, sources, "
    "source_names, articles, positions, last_position, match_key"
)  # an entry's summary is worded when it is read, from its first report
INSERT = f"INSERT OR REPLACE INTO projection_timeline ({COLUMNS}) VALUES ({','.join('?' * 15)})"


def match_key(key: Key) -> str:
    """The key without the negotiation (a column of its own)."""
    return "\x1f".join(key[1:])


def _json(value: list[Any]) -> str:
    return orjson.dumps(value).decode()


def row_of(h: Happening) -> tuple[Any, ...]:
    return (
        h.negotiation,
        h.date.isoformat() if h.date else "",
        h.rank,
        h.id,
        h.first_position,
        h.type,
        h.actor,
        h.target,
        h.modality,
        len(h.source_names),
        _json(h.source_names),
        _json(h.articles),
        f"[{h.positions[0]}]" if len(h.positions) == 1 else _json(h.positions),
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
    """The timeline entries a fold may merge into: loaded from SQLite by key and date window
    on demand, kept in memory while recent, written back when changed. The fold feeds it in
    fold order, so the entries it starts are the ones an in-memory grouping would start."""

    def __init__(self, store: SQLiteEventStore, fresh: bool) -> None:
        self.conn = store.conn
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
        when = fact.valid_date
        clock = fact.known_date
        if clock is not None and (self.latest is None or clock > self.latest):
            self.latest = clock
        if when is not None and when < self.complete_after and negotiation not in self.complete:
            key = key_of(negotiation, fact)
            if (key, when) not in self.queried:
                self._load(key, when)
                self.queried.add((key, when))
        happening, new = self.grouping.place(negotiation, fact, rank)
        if new and happening.date is not None:
            self._held(happening.key, happening.date)
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
        rows = self.conn.execute(
            f"SELECT {COLUMNS} FROM projection_timeline WHERE negotiation = ? "
            "AND date BETWEEN ? AND ? AND match_key = ?",
            (key[0], (when - window).isoformat(), (when + window).isoformat(), match_key(key)),
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
        """Replace every entry of one key (after a late report of that key): in SQLite at
        once, inside the caller's transaction, and in memory, which then holds them all."""
        negotiation, match = key[0], match_key(key)
        self.conn.execute(
            "DELETE FROM projection_timeline WHERE negotiation = ? AND match_key = ?",
            (negotiation, match),
        )
        self.conn.executemany(INSERT, [row_of(h) for h in grouped])
        days = self.grouping.by_key.pop(key, None)
        if days is not None:
            self.size -= sum(len(day) for day in days.values())
        self.dirty = {i: h for i, h in self.dirty.items() if h.key != key}
        for happening in grouped:
            if self.grouping.hold(key, happening) and happening.date is not None:
                self._held(key, happening.date)

    def positions_of_key(self, key: Key) -> set[int]:
        found: set[int] = set()
        for (held,) in self.conn.execute(
            "SELECT positions FROM projection_timeline WHERE negotiation = ? AND match_key = ?",
            (key[0], match_key(key)),
        ):
            found.update(orjson.loads(held))
        return found

    def write(self) -> None:
        """Write the changed entries (inside the caller's transaction)."""
        for negotiation in self.resets:
            self.conn.execute(
                "DELETE FROM projection_timeline WHERE negotiation = ?", (negotiation,)
            )
        self.conn.executemany(INSERT, [row_of(h) for h in self.dirty.values()])
        self.dirty.clear()
        self.resets.clear()

    def evict(self) -> None:
        """Once written, entries more than a week older than the fold's clock leave memory
        (SQLite has them); the scan runs only once the cache has grown again."""
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


def positions_of(store: SQLiteEventStore, negotiation: str) -> set[int]:
    """Every log position the negotiation's timeline holds: all the facts folded into it."""
    found: set[int] = set()
    for (held,) in store.conn.execute(
        "SELECT positions FROM projection_timeline WHERE negotiation = ?", (negotiation,)
    ):
        found.update(orjson.loads(held))
    return found


def load_timeline(
    store: SQLiteEventStore,
    negotiation: str,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
) -> list[Entry]:
    """The stored timeline in timeline order, with each entry's evidence read from the events
    it holds; with `limit`, only its last `limit` entries (the most recent)."""
    return [e for page in timeline_pages(store, negotiation, since, until, limit) for e in page]


def timeline_pages(
    store: SQLiteEventStore,
    negotiation: str,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
) -> Iterator[list[Entry]]:
    """The stored timeline, PAGE entries at a time (memory flat in history)."""
    where = "negotiation = ?"
    params: list[Any] = [negotiation]
    if since is not None:
        where += " AND date >= ?"
        params.append(since.isoformat())
    if until is not None:
        where += " AND date != '' AND date <= ?"
        params.append(until.isoformat())
    amendments = Amendments.load(store)
    if limit is not None:
        yield _entries(store, _last(store, where, params, limit), amendments)
        return
    # dated entries by (date, rank), then the undated ones: keyset pages over the primary key
    for dated in (True, False):
        after: tuple[str, str] = ("", "")
        while True:
            clause = "date != '' AND (date, rank) > (?, ?)" if dated else "date = '' AND rank > ?"
            keyset = list(after) if dated else [after[1]]
            rows = store.conn.execute(
                f"SELECT {COLUMNS} FROM projection_timeline WHERE {where} AND {clause} "
                "ORDER BY date, rank LIMIT ?",
                [*params, *keyset, PAGE],
            ).fetchall()
            if not rows:
                break
            yield _entries(store, [happening_of(r) for r in rows], amendments)
            after = (rows[-1][1], rows[-1][2])


def _last(store: SQLiteEventStore, where: str, params: list[Any], limit: int) -> list[Happening]:
    """The last `limit` entries in timeline order: undated ones come last, so first here."""
    undated = store.conn.execute(
        f"SELECT {COLUMNS} FROM projection_timeline WHERE {where} AND date = '' "
        "ORDER BY rank DESC LIMIT ?",
        [*params, limit],
    ).fetchall()
    dated = store.conn.execute(
        f"SELECT {COLUMNS} FROM projection_timeline WHERE {where} AND date != '' "
        "ORDER BY date DESC, rank DESC LIMIT ?",
        [*params, limit - len(undated)],
    ).fetchall()
    return in_order(happening_of(r) for r in dated + undated)


def _entries(
    store: SQLiteEventStore, headers: list[Happening], amendments: Amendments
) -> list[Entry]:
    """The entries of these headers (in their order), each with the facts it holds, in the
    order it holds them."""
    wanted = sorted({p for h in headers for p in h.positions})
    found: dict[int, Fact] = {}
    for first in range(0, len(wanted), 500):
        chunk = wanted[first : first + 500]
        rows = store.conn.execute(
            "SELECT position, event_id, type, schema_version, payload, recorded_at FROM events "
            f"WHERE position IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        for position, event_id, type_, version, payload, recorded_at in rows:
            fact = amendments.apply(
                from_payload(
                    type_,
                    upcast(type_, version, orjson.loads(payload)),
                    position,
                    event_id,
                    recorded_at,
                )
            )
            if fact is not None:
                found[position] = fact
    return [entry(h, [found[p] for p in h.positions if p in found]) for h in headers]

"""The timeline read model in SQLite (table projection_timeline, 0002_projections.sql): one
row per entry, keyed by negotiation, day and first report. `TimelineIndex` holds the entries a fold
may still merge reports into; `load_timeline` reads entries back with their evidence."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import orjson

from tracker.projections.facts import Fact, fold_case, from_payload
from tracker.projections.log import Amendments
from tracker.projections.timeline import (
    WINDOW_DAYS,
    Entry,
    Happening,
    Key,
    entry,
    key_of,
    ordered,
    place,
)
from tracker.store.sqlite import SQLiteEventStore
from tracker.upcast import upcast

CACHE_ENTRIES = 20_000  # entries kept in memory between flushes
COLUMNS = (
    "negotiation, date, first_position, id, type, actor, target, modality, sources, "
    "source_names, articles, positions, last_position, match_key"
)  # an entry's summary is worded when it is read, from its first report
INSERT = f"INSERT OR REPLACE INTO projection_timeline ({COLUMNS}) VALUES ({','.join('?' * 14)})"


def match_key(key: Key) -> str:
    """The key without the negotiation (a column of its own)."""
    return "\x1f".join(key[1:])


def _json(value: list[Any]) -> str:
    return orjson.dumps(value).decode()


def row_of(h: Happening) -> tuple[Any, ...]:
    return (
        h.negotiation,
        h.date.isoformat() if h.date else "",
        h.first_position,
        h.id,
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
        type=row[4],
        actor=row[5],
        target=row[6],
        modality=row[7],
        source_names=orjson.loads(row[9]),
        articles=orjson.loads(row[10]),
        positions=orjson.loads(row[11]),
        first_position=row[2],
        last_position=row[12],
    )


class TimelineIndex:
    """The timeline entries a fold may merge into: loaded from SQLite by key and date window
    on demand, kept in memory while recent, written back when changed."""

    def __init__(self, store: SQLiteEventStore, fresh: bool) -> None:
        self.conn = store.conn
        self.cache: dict[Key, dict[str, Happening]] = {}
        self.dirty: dict[str, Happening] = {}
        self.resets: set[str] = set()
        self.complete: set[str] = set()  # negotiations whose whole timeline is in memory
        # in a fresh fold every entry dated on or after this day is in memory
        self.complete_from = date.min if fresh else None
        self.queried: set[tuple[Key, date]] = set()
        self.latest: date | None = None
        self.size = 0
        self.by_day: dict[date, list[tuple[Key, str]]] = {}  # what to evict, day by day

    def place(self, negotiation: str, fact: Fact) -> None:
        key = key_of(negotiation, fact)
        bucket = self.cache.get(key)
        if bucket is None:
            bucket = self.cache[key] = {}
        when = fact.valid_date
        if when is not None:
            if self.latest is None or when > self.latest:
                self.latest = when
            if (
                when < self.complete_after
                and negotiation not in self.complete
                and (key, when) not in self.queried
            ):
                self._load(key, when, bucket)
                self.queried.add((key, when))
        happening, new = place(bucket.values(), negotiation, fact)
        if new:
            self._hold(key, happening, bucket)
        self.dirty[happening.id] = happening

    def _hold(self, key: Key, happening: Happening, bucket: dict[str, Happening]) -> None:
        bucket[happening.id] = happening
        self.size += 1
        self.by_day.setdefault(happening.date or date.min, []).append((key, happening.id))

    @property
    def complete_from(self) -> date | None:
        return self._complete_from

    @complete_from.setter
    def complete_from(self, day: date | None) -> None:
        self._complete_from = day
        # a fact dated on or after this day finds every entry it could join in memory
        self.complete_after = date.max if day is None else day + timedelta(days=WINDOW_DAYS)

    def _load(self, key: Key, when: date, bucket: dict[str, Happening]) -> None:
        window = timedelta(days=WINDOW_DAYS)
        rows = self.conn.execute(
            f"SELECT {COLUMNS} FROM projection_timeline WHERE negotiation = ? "
            "AND date BETWEEN ? AND ? AND match_key = ?",
            (key[0], (when - window).isoformat(), (when + window).isoformat(), match_key(key)),
        )
        for row in rows:
            if row[3] not in bucket:
                self._hold(key, happening_of(row), bucket)

    def reset(self, negotiation: str, grouped: list[Happening]) -> None:
        """Replace a negotiation's whole timeline (after a retraction or correction)."""
        for key in [k for k in self.cache if k[0] == negotiation]:
            self.size -= len(self.cache.pop(key))
        self.dirty = {i: h for i, h in self.dirty.items() if h.negotiation != negotiation}
        for happening in grouped:
            self._hold(happening.key, happening, self.cache.setdefault(happening.key, {}))
            self.dirty[happening.id] = happening
        self.resets.add(negotiation)
        self.complete.add(negotiation)

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
        """Once written, entries more than a week older than the newest report leave memory
        (SQLite has them); the scan runs only once the cache has grown again."""
        if self.size <= CACHE_ENTRIES or self.latest is None:
            return
        horizon = self.latest - timedelta(days=7)
        for day in sorted(d for d in self.by_day if d < horizon):
            for key, entry_id in self.by_day.pop(day):
                bucket = self.cache.get(key)
                if bucket is not None and bucket.pop(entry_id, None) is not None:
                    self.size -= 1
                    if not bucket:
                        del self.cache[key]
        if self.complete_from is not None:
            self.complete_from = max(self.complete_from, horizon)
        self.complete.clear()
        self.queried.clear()


def load_timeline(
    store: SQLiteEventStore,
    negotiation: str,
    since: date | None = None,
    until: date | None = None,
) -> list[Entry]:
    """The stored timeline, with each entry's evidence read from the events it holds."""
    sql = f"SELECT {COLUMNS} FROM projection_timeline WHERE negotiation = ?"
    params: list[Any] = [negotiation]
    if since is not None:
        sql += " AND date >= ?"
        params.append(since.isoformat())
    if until is not None:
        sql += " AND date != '' AND date <= ?"
        params.append(until.isoformat())
    headers = [happening_of(row) for row in store.conn.execute(sql, params)]
    holders: dict[int, list[str]] = {}  # an event of two negotiations is in two entries
    for h in headers:
        for p in h.positions:
            holders.setdefault(p, []).append(h.id)
    members: dict[str, list[Fact]] = {h.id: [] for h in headers}
    amendments = Amendments.load(store)
    positions = sorted(holders)
    for first in range(0, len(positions), 500):
        chunk = positions[first : first + 500]
        rows = store.conn.execute(
            "SELECT position, event_id, type, schema_version, payload, recorded_at FROM events "
            f"WHERE position IN ({','.join('?' * len(chunk))}) ORDER BY position",
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
                for entry_id in holders[position]:
                    members[entry_id].append(fact)
    return ordered([entry(h, members[h.id]) for h in headers])

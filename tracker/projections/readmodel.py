"""The read models in SQLite: status per negotiation and the timeline, kept up to date by
`catch_up`, which folds the events after the checkpoint and writes the rows it changed and
the new checkpoint in ONE transaction. A crash before COMMIT leaves the old rows and the old
checkpoint, so the next catch-up folds the same events again: each is folded exactly once.

A retraction or correction refolds the negotiations it touches from the log (the fold cannot
be run backwards); a rebuild from an empty read model applies every known amendment up front
instead, which gives the same rows (tests/test_projections_property.py checks this).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson

from tracker.events import NEGOTIATION_TYPES
from tracker.projections.facts import UNASSIGNED, Fact, from_payload
from tracker.projections.fold import Folder, project
from tracker.projections.status import Status
from tracker.projections.timeline import (
    WINDOW_DAYS,
    Entry,
    Happening,
    Key,
    entry,
    happenings,
    key_of,
    ordered,
    place,
)
from tracker.query import AMENDMENTS
from tracker.store.base import StoredEvent
from tracker.store.sqlite import SQLiteEventStore
from tracker.upcast import upcast

# Bump when the rules or the read-model shapes change: a store folded by an older version
# is then rebuilt on its next catch-up instead of mixing two versions of the rules.
VERSION = 3
CHECKPOINT = f"status@{VERSION}"
CHUNK = 5000  # events folded per transaction
CACHE_ENTRIES = 20_000  # timeline entries kept in memory between transactions
NEGOTIATION = frozenset(NEGOTIATION_TYPES)

Hook = Callable[[], None]


class _Moved(Exception):
    """Another process advanced the checkpoint while we folded: start again from it."""


# --- amendments and facts ------------------------------------------------------------------


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

    def remember(self, stored: StoredEvent) -> None:
        self.known[stored.payload["article_id"]] = tuple(stored.payload.get("negotiations") or ())
        if len(self.known) > 50_000:
            self.known.clear()

    def of(self, fact: Fact) -> tuple[str, ...]:
        if fact.negotiations:
            return fact.negotiations
        if fact.article_id is None:
            return (UNASSIGNED,)
        if fact.article_id not in self.known:
            found: tuple[str, ...] = ()
            for stored in self.store.read_stream(f"article-{fact.article_id}"):
                if stored.type == "article.ingested":
                    found = tuple(stored.payload.get("negotiations") or ())
                break
            self.known[fact.article_id] = found
        return self.known[fact.article_id] or (UNASSIGNED,)


def to_fact(stored: StoredEvent) -> Fact:
    payload = upcast(stored.type, stored.schema_version, stored.payload)
    return from_payload(stored.type, payload, stored.position, stored.event_id, stored.recorded_at)


def read_facts(
    store: SQLiteEventStore,
    amendments: Amendments,
    articles: ArticleNegotiations,
    upto: int | None = None,
    known_at: str | None = None,
) -> Iterator[tuple[Fact, tuple[str, ...]]]:
    """Negotiation events in log order, amended, with the negotiations each belongs to."""
    for stored in store.read_all(types=(*NEGOTIATION_TYPES, "article.ingested")):
        if upto is not None and stored.position > upto:
            return
        if known_at is not None and stored.recorded_at > known_at:
            continue
        if stored.type == "article.ingested":
            articles.remember(stored)
            continue
        fact = amendments.apply(to_fact(stored))
        if fact is not None:
            yield fact, articles.of(fact)


# --- the timeline index ---------------------------------------------------------------------


def match_key(key: Key) -> str:
    return "\x1f".join(key)


HEADER = (
    "id, negotiation, date, type, actor, target, modality, summary, sources, source_names, "
    "articles, first_position, last_position"
)


def _json_text(value: list[str]) -> str:
    return orjson.dumps(value).decode()


def _happening(row: tuple[Any, ...]) -> Happening:
    return Happening(
        id=row[0],
        negotiation=row[1],
        date=date.fromisoformat(row[2]) if row[2] else None,
        type=row[3],
        actor=row[4],
        target=row[5],
        modality=row[6],
        summary=row[7],
        source_names=orjson.loads(row[9]),
        articles=orjson.loads(row[10]),
        first_position=row[11],
        last_position=row[12],
    )


class TimelineIndex:
    """The timeline entries a catch-up may merge into: loaded from SQLite by match key and
    date window on demand, kept in memory while recent, written back when changed."""

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

    def place(self, negotiation: str, fact: Fact) -> None:
        key = key_of(negotiation, fact)
        bucket = self.cache.get(key)
        if bucket is None:
            bucket = self.cache[key] = {}
        when = fact.valid_date
        if when is not None:
            if self.latest is None or when > self.latest:
                self.latest = when
            if not self._complete(negotiation, when) and (key, when) not in self.queried:
                self._load(key, when, bucket)
                self.queried.add((key, when))
        happening, new = place(bucket.values(), negotiation, fact)
        if new:
            bucket[happening.id] = happening
            self.size += 1
        self.dirty[happening.id] = happening

    def _complete(self, negotiation: str, when: date) -> bool:
        if negotiation in self.complete:
            return True
        return self.complete_from is not None and when >= self.complete_after

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
            f"SELECT {HEADER} FROM projection_timeline "
            "WHERE match_key = ? AND date BETWEEN ? AND ?",
            (match_key(key), (when - window).isoformat(), (when + window).isoformat()),
        )
        for row in rows:
            if row[0] not in bucket:
                bucket[row[0]] = _happening(row)
                self.size += 1

    def reset(self, negotiation: str, grouped: list[Happening]) -> None:
        """Replace a negotiation's whole timeline (after a retraction or correction)."""
        for key in [k for k in self.cache if k[0] == negotiation]:
            self.size -= len(self.cache.pop(key))
        self.dirty = {i: h for i, h in self.dirty.items() if h.negotiation != negotiation}
        for happening in grouped:
            self.cache.setdefault(happening.key, {})[happening.id] = happening
            self.dirty[happening.id] = happening
            self.size += 1
        self.resets.add(negotiation)
        self.complete.add(negotiation)

    def write(self) -> None:
        conn = self.conn
        for negotiation in self.resets:
            conn.execute(
                "DELETE FROM projection_timeline_events WHERE entry_id IN "
                "(SELECT id FROM projection_timeline WHERE negotiation = ?)",
                (negotiation,),
            )
            conn.execute("DELETE FROM projection_timeline WHERE negotiation = ?", (negotiation,))
        dumps = _json_text
        conn.executemany(
            f"INSERT OR REPLACE INTO projection_timeline ({HEADER}, match_key) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    h.id,
                    h.negotiation,
                    h.date.isoformat() if h.date else None,
                    h.type,
                    h.actor,
                    h.target,
                    h.modality,
                    h.summary,
                    len(h.source_names),
                    dumps(h.source_names),
                    dumps(h.articles),
                    h.first_position,
                    h.last_position,
                    match_key(h.key),
                )
                for h in self.dirty.values()
            ],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO projection_timeline_events (entry_id, position) VALUES (?, ?)",
            [(h.id, p) for h in self.dirty.values() for p in h.added],
        )

    def committed(self) -> None:
        for happening in self.dirty.values():
            happening.added.clear()
        self.dirty.clear()
        self.resets.clear()
        if self.size <= CACHE_ENTRIES or self.latest is None:
            return
        # Entries more than a week older than the newest report go (SQLite still has them);
        # the cache then stays small, and this scan runs only once it has grown again.
        horizon = self.latest - timedelta(days=7)
        for key in list(self.cache):
            bucket = self.cache[key]
            for entry_id in [i for i, h in bucket.items() if h.date is None or h.date < horizon]:
                del bucket[entry_id]
                self.size -= 1
            if not bucket:
                del self.cache[key]
        if self.complete_from is not None:
            self.complete_from = max(self.complete_from, horizon)
        self.complete.clear()
        self.queried.clear()


# --- catch-up --------------------------------------------------------------------------------


def checkpoint(store: SQLiteEventStore) -> int:
    row = store.conn.execute(
        "SELECT position FROM projection_checkpoints WHERE name = ?", (CHECKPOINT,)
    ).fetchone()
    return int(row[0]) if row else 0


def catch_up(store: SQLiteEventStore, chunk: int = CHUNK, before_commit: Hook | None = None) -> int:
    """Fold every event after the checkpoint; return how many log positions were folded.
    `before_commit` runs inside each transaction just before COMMIT (for crash tests)."""
    _drop_other_versions(store)
    while True:
        try:
            return _Run(store, chunk, before_commit).run()
        except _Moved:
            continue


def rebuild(store: SQLiteEventStore, chunk: int = CHUNK) -> int:
    """Empty the read models and fold the whole log again."""
    _empty(store)
    return catch_up(store, chunk)


def _empty(store: SQLiteEventStore) -> None:
    conn = store.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM projection_status")
        conn.execute("DELETE FROM projection_timeline")
        conn.execute("DELETE FROM projection_checkpoints WHERE name LIKE 'status@%'")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _drop_other_versions(store: SQLiteEventStore) -> None:
    other = store.conn.execute(
        "SELECT 1 FROM projection_checkpoints WHERE name LIKE 'status@%' AND name != ?",
        (CHECKPOINT,),
    ).fetchone()
    if other:
        _empty(store)


class _Run:
    def __init__(self, store: SQLiteEventStore, chunk: int, before_commit: Hook | None) -> None:
        self.store = store
        self.chunk = chunk
        self.before_commit = before_commit
        self.start = checkpoint(store)
        self.done = self.start
        fresh = self.start == 0
        self.index = TimelineIndex(store, fresh)
        self.articles = ArticleNegotiations(store)
        # From an empty read model every amendment is applied up front; otherwise an
        # amendment refolds the negotiations it touches when it is met.
        self.preloaded: Amendments | None = None
        self.states: dict[str, Folder] = {}
        self.touched: set[str] = set()
        self.emptied: set[str] = set()
        self.fresh = fresh

    def run(self) -> int:
        head = self.store.head()
        if self.start >= head:
            return 0
        if self.fresh:
            self.preloaded = Amendments.load(self.store, upto=head)
        pending = 0
        for stored in self.store.read_all(after=self.start):
            if stored.position > head:
                break
            self._handle(stored)
            pending += 1
            if pending >= self.chunk:
                self._commit(stored.position)
                pending = 0
        if pending:
            self._commit(head)
        return head - self.start

    def _handle(self, stored: StoredEvent) -> None:
        if stored.type == "article.ingested":
            self.articles.remember(stored)
        elif stored.type in AMENDMENTS:
            if self.preloaded is None:
                self._refold_for(stored)
        elif stored.type in NEGOTIATION:
            fact: Fact | None = to_fact(stored)
            if self.preloaded is not None and fact is not None:
                fact = self.preloaded.apply(fact)
            if fact is None:
                return
            for negotiation in self.articles.of(fact):
                self._state(negotiation).fold(fact)
                self.index.place(negotiation, fact)
                self.touched.add(negotiation)

    def _state(self, negotiation: str) -> Folder:
        state = self.states.get(negotiation)
        if state is None:
            status = load_status(self.store, negotiation) or Status(negotiation=negotiation)
            state = self.states[negotiation] = Folder(status)
        return state

    def _refold_for(self, amendment: StoredEvent) -> None:
        target = self.store.get(amendment.payload["event_id"])
        if target is None or target.type not in NEGOTIATION:
            return
        fact = to_fact(target)
        # every negotiation the event has belonged to, as told and as corrected since
        affected = set(self.articles.of(fact))
        for earlier in self.store.read_all(types=("event.corrected",)):
            if earlier.position > amendment.position:
                break
            changes = earlier.payload["changes"]
            if earlier.payload["event_id"] == target.event_id and "negotiations" in changes:
                affected |= set(
                    self.articles.of(
                        fact._replace(negotiations=tuple(changes["negotiations"] or ()))
                    )
                )
        amendments = Amendments.load(self.store, upto=amendment.position)
        facts: dict[str, list[Fact]] = {n: [] for n in affected}
        for one, negotiations in read_facts(
            self.store, amendments, self.articles, upto=amendment.position
        ):
            for negotiation in negotiations:
                if negotiation in facts:
                    facts[negotiation].append(one)
        for negotiation, folded in facts.items():
            grouped = happenings(negotiation, folded)
            for happening, members in grouped:
                happening.added = [f.position for f in members]
            self.index.reset(negotiation, [h for h, _ in grouped])
            if folded:
                self.states[negotiation] = Folder(project(negotiation, folded))
                self.touched.add(negotiation)
                self.emptied.discard(negotiation)
            else:  # nothing left: as if it had never been told, which is what a rebuild sees
                self.states.pop(negotiation, None)
                self.touched.discard(negotiation)
                self.emptied.add(negotiation)

    def _commit(self, position: int) -> None:
        conn = self.store.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if checkpoint(self.store) != self.done:
                raise _Moved
            conn.executemany(
                "DELETE FROM projection_status WHERE negotiation = ?",
                [(n,) for n in sorted(self.emptied)],
            )
            conn.executemany(
                "INSERT OR REPLACE INTO projection_status "
                "(negotiation, phase, position, events, clock, status) VALUES (?,?,?,?,?,?)",
                [_status_row(self.states[n].result()) for n in sorted(self.touched)],
            )
            self.index.write()
            conn.execute(
                "INSERT OR REPLACE INTO projection_checkpoints (name, position, updated_at) "
                "VALUES (?, ?, ?)",
                (CHECKPOINT, position, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            if self.before_commit is not None:
                self.before_commit()
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self.done = position
        self.touched.clear()
        self.emptied.clear()
        self.index.committed()


def _status_row(status: Status) -> tuple[Any, ...]:
    return (
        status.negotiation,
        str(status.phase),
        status.position,
        status.events,
        status.clock.isoformat() if status.clock else None,
        status.model_dump_json(),
    )


# --- reading the read models -------------------------------------------------------------------


def load_status(store: SQLiteEventStore, negotiation: str) -> Status | None:
    row = store.conn.execute(
        "SELECT status FROM projection_status WHERE negotiation = ?", (negotiation,)
    ).fetchone()
    return Status.model_validate_json(row[0]) if row else None


def negotiations(store: SQLiteEventStore) -> list[str]:
    rows = store.conn.execute("SELECT negotiation FROM projection_status ORDER BY negotiation")
    return [row[0] for row in rows]


def load_timeline(
    store: SQLiteEventStore,
    negotiation: str,
    since: date | None = None,
    until: date | None = None,
) -> list[Entry]:
    """The stored timeline, with each entry's evidence read from the events it holds."""
    sql = f"SELECT {HEADER} FROM projection_timeline WHERE negotiation = ?"
    params: list[Any] = [negotiation]
    if since is not None:
        sql += " AND date >= ?"
        params.append(since.isoformat())
    if until is not None:
        sql += " AND date <= ?"
        params.append(until.isoformat())
    headers = {row[0]: _happening(row) for row in store.conn.execute(sql, params)}
    members: dict[str, list[Fact]] = {i: [] for i in headers}
    amendments = Amendments.load(store)
    ids = list(headers)
    for first in range(0, len(ids), 500):
        chunk = ids[first : first + 500]
        rows = store.conn.execute(
            "SELECT m.entry_id, e.position, e.event_id, e.type, e.schema_version, e.payload, "
            "e.recorded_at FROM projection_timeline_events m JOIN events e USING (position) "
            f"WHERE m.entry_id IN ({','.join('?' * len(chunk))}) ORDER BY e.position",
            chunk,
        )
        for entry_id, position, event_id, type_, version, payload, recorded_at in rows:
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
                members[entry_id].append(fact)
    return ordered([entry(h, members[i]) for i, h in headers.items()])


def dump(store: SQLiteEventStore) -> dict[str, Any]:
    """Every read-model row, for comparing an incremental fold with a rebuild."""
    conn = store.conn
    return {
        "checkpoint": checkpoint(store),
        "status": {
            n: json.loads(s)
            for n, s in conn.execute("SELECT negotiation, status FROM projection_status")
        },
        "timeline": {
            row[0]: list(row) for row in conn.execute(f"SELECT {HEADER} FROM projection_timeline")
        },
        "members": sorted(conn.execute("SELECT * FROM projection_timeline_events").fetchall()),
    }

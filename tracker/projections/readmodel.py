"""The read models (status per negotiation and the timeline, in the tables of the read-model
store, tracker/store/readmodels.py: SQLite or PostgreSQL), kept up to date by
`catch_up`, which folds the events after the checkpoint and writes the rows it changed and
the new checkpoint in ONE transaction. A crash before COMMIT leaves the old rows and the old
checkpoint, so the next catch-up folds the same events again: each is folded exactly once.

The fold is in valid-time order (facts.fold_key), not log order, so the read models are a
function of the facts whatever order they arrived in. A catch-up sorts the new events of each
negotiation; when one of them sorts before the last event already folded into it (a report
that arrived late: a backfill, a feed listing newest first, two feeds covering the same days),
that negotiation is folded again from the last snapshot of its status before the late report
(projection_snapshots, one every SNAPSHOT_EVERY facts), reading only the facts recorded after
that snapshot (projection_facts: each negotiation's facts by fold key), and only the timeline
entries of the late reports' own keys are regrouped. The fold cannot be run backwards, and
what follows a late report may depend on it, so everything after it is folded again; the
snapshots bound what comes before it. So a report a few days late costs the events since the
snapshot before it, not the negotiation's history (bench/project.py measures it). A
retraction or correction refolds the negotiations it touches from nothing, as it may move
any of their facts; every amendment in the log is applied to events as they are read, so one
that arrived before the event it amends applies too.

`rebuild` empties the read models and folds the whole log in a single transaction, reading
it once in fold order (the database sorts it): readers see the old read models until the new ones
are complete, and a crash leaves the old ones. A catch-up with more than REBUILD_FROM events
to fold, more than the store had folded, is a rebuild (a fresh store, an archive backfilled).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import orjson

from tracker.projections.current import CHECKPOINT, PREFIX, checkpoint, load_status, negotiations
from tracker.projections.draft import Draft
from tracker.projections.facts import Fact, fold_key
from tracker.projections.fold import Folder
from tracker.projections.log import (
    NEGOTIATION,
    Amendments,
    ArticleNegotiations,
    fact_of,
    read_facts,
    rows,
    rows_at,
    sorted_rows,
    to_fact,
)
from tracker.projections.status import Status
from tracker.projections.timeline import Key, happenings, key_of
from tracker.projections.timeline_table import TimelineIndex, load_timeline, positions_of
from tracker.query import AMENDMENTS
from tracker.store.base import EventStore
from tracker.store.readmodels import Row, StatusRow, read_models

CHUNK = 5000  # events folded per transaction (a rebuild: per flush of its timeline rows)
REBUILD_FROM = 20_000  # a backlog this long, and longer than what was folded: a rebuild
SNAPSHOT_EVERY = 1000  # facts of a negotiation between two stored snapshots of its status

Hook = Callable[[], None]

__all__ = [  # also read through this module by history and export
    "Amendments",
    "ArticleNegotiations",
    "catch_up",
    "checkpoint",
    "dump",
    "load_status",
    "load_timeline",
    "negotiations",
    "read_facts",
    "rebuild",
    "to_fact",
]


class _Moved(Exception):
    """Another process advanced the checkpoint while we folded: start again from it."""


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A fold allocates millions of small objects that live a while and form no cycles; the
    cyclic collector would rescan the growing heap again and again for nothing (it took
    about half of a rebuild). Reference counting still frees everything as it goes."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- catch-up and rebuild ------------------------------------------------------------------


def catch_up(store: EventStore, chunk: int = CHUNK, before_commit: Hook | None = None) -> int:
    """Fold every event after the checkpoint; return how many log positions were folded.
    `before_commit` runs inside each transaction just before COMMIT (for crash tests)."""
    _drop_other_versions(store)
    with _collector_paused():
        while True:
            done, head = checkpoint(store), store.head()
            if head - done >= REBUILD_FROM and head - done > done:
                return rebuild(store) - done
            try:
                return _Run(store, chunk, before_commit).run()
            except _Moved:
                continue


def rebuild(store: EventStore, chunk: int = CHUNK) -> int:
    """Empty the read models and fold the whole log again, in one transaction and in fold
    order; `chunk` is how many events are folded between two writes of the timeline rows
    (memory stays flat). Returns the number of log positions folded."""
    tables = read_models(store)
    with _collector_paused(), tables.rebuild_transaction():
        tables.clear(PREFIX)
        return _Rebuild(store, chunk).run()


def _drop_other_versions(store: EventStore) -> None:
    tables = read_models(store)
    if tables.other_versions(PREFIX, CHECKPOINT):
        with tables.write_transaction():
            tables.clear(PREFIX)


class _Fold:
    """What a catch-up and a rebuild share: the folders and timeline of the negotiations
    touched, and folding one negotiation again from all its facts."""

    def __init__(self, store: EventStore, fresh: bool) -> None:
        self.store = store
        self.tables = read_models(store)
        self.index = TimelineIndex(store, fresh)
        self.articles = ArticleNegotiations(store)
        self.amendments = Amendments()
        self.states: dict[str, Folder] = {}
        self.touched: set[str] = set()
        self.emptied: set[str] = set()
        self.fact_rows: list[tuple[str, str, int]] = []  # projection_facts, not yet written
        self.snapshot_rows: list[tuple[str, str, str]] = []

    def folded(self, negotiation: str, state: Folder, fact: Fact, key: str) -> None:
        """Fold one fact, recording it in projection_facts and, every SNAPSHOT_EVERY facts,
        the status it leaves in projection_snapshots."""
        state.fold(fact, key)
        self.fact_rows.append((negotiation, key, fact.position))
        if state.events % SNAPSHOT_EVERY == 0:
            self.snapshot_rows.append((negotiation, key, state.result().model_dump_json()))

    def write_rows(self) -> None:
        self.tables.put_facts(self.fact_rows)
        self.tables.put_snapshots(self.snapshot_rows)
        self.fact_rows.clear()
        self.snapshot_rows.clear()

    def forget(self, negotiation: str, after: str = "") -> None:
        """Drop the negotiation's recorded facts and snapshots after a fold key (all: "")."""
        self.write_rows()
        self.tables.forget(negotiation, after)

    def facts_at(self, negotiation: str, positions: Iterable[int]) -> list[Fact]:
        """The facts at these positions that (as amended) belong to the negotiation."""
        facts: list[Fact] = []
        for row in rows_at(self.store, positions):
            if row[2] not in NEGOTIATION:
                continue
            fact = self.amendments.apply(fact_of(row))
            if fact is not None and negotiation in self.articles.of(fact):
                facts.append(fact)
        return facts

    def refold(self, negotiation: str, positions: set[int]) -> None:
        """Fold the negotiation again from nothing, from the facts at these positions that
        (as amended) belong to it."""
        facts = self.facts_at(negotiation, positions)
        self.forget(negotiation)
        grouped = happenings(negotiation, facts)  # sorts them into fold order
        self.index.reset(negotiation, [h for h, _ in grouped])
        if not facts:  # nothing left: as if it had never been told, which is what a rebuild sees
            self.states.pop(negotiation, None)
            self.touched.discard(negotiation)
            self.emptied.add(negotiation)
            return
        state = self.states[negotiation] = Folder(Draft(negotiation=negotiation))
        for fact in sorted(facts, key=fold_key):
            self.folded(negotiation, state, fact, fold_key(fact))
        self.touched.add(negotiation)
        self.emptied.discard(negotiation)

    def write(self, position: int) -> None:
        """The rows changed since the last write and the checkpoint, in the open transaction."""
        self.tables.delete_statuses(sorted(self.emptied))
        status_rows = [_status_row(self.states[n]) for n in sorted(self.touched)]
        self.index.write()
        self.write_rows()
        self.tables.put_statuses(status_rows)
        self.tables.set_checkpoint(CHECKPOINT, position)
        self.touched.clear()
        self.emptied.clear()


class _Rebuild(_Fold):
    """The whole log in one pass in fold order. A fact that sorts before the last one folded
    into its negotiation (its payload was upcast or corrected after it was sorted) sends the
    negotiation to a refold at the end."""

    def __init__(self, store: EventStore, chunk: int) -> None:
        super().__init__(store, fresh=True)
        self.chunk = chunk
        self.articles.preload()
        self.members: dict[str, set[int]] = {}  # positions of the negotiations to refold

    def run(self) -> int:
        store, head = self.store, self.store.head()
        self.amendments = Amendments.load(store, upto=head)
        states, index, apply, of = self.states, self.index, self.amendments.apply, self.articles.of
        members, fact_rows, snapshots = self.members, self.fact_rows, self.snapshot_rows
        pending = 0
        for row in sorted_rows(store, head):
            fact = apply(fact_of(row))
            if fact is None:
                continue
            key = fold_key(fact)
            for negotiation in of(fact):
                late = members.get(negotiation)
                if late is not None:
                    late.add(fact.position)
                    continue
                state = states.get(negotiation)
                if state is None:
                    state = states[negotiation] = Folder(Draft(negotiation=negotiation))
                elif key < state.folded_to:
                    members[negotiation] = {fact.position}
                    continue
                state.fold(fact, key)  # as self.folded does, inline: a million times
                fact_rows.append((negotiation, key, fact.position))
                if state.events % SNAPSHOT_EVERY == 0:
                    snapshots.append((negotiation, key, state.result().model_dump_json()))
                index.place(negotiation, fact, key)
            pending += 1
            if pending >= self.chunk:
                index.write()
                self.write_rows()
                index.evict()
                pending = 0
        index.write()  # the timeline rows folded so far hold the positions folded so far
        for negotiation, positions in members.items():
            self.refold(negotiation, positions | positions_of(store, negotiation))
        self.touched |= set(states)
        self.write(head)
        return head


class _Run(_Fold):
    """One catch-up from the checkpoint to the head of the log, in chunks, each committed with
    its checkpoint. The new facts of each negotiation are folded in fold order; a late one
    refolds its negotiation."""

    def __init__(self, store: EventStore, chunk: int, before_commit: Hook | None) -> None:
        self.start = checkpoint(store)
        super().__init__(store, fresh=self.start == 0)
        self.chunk = chunk
        self.before_commit = before_commit
        self.done = self.start
        self.new: dict[str, list[Fact]] = {}  # facts read in this chunk, by negotiation
        self.again: dict[str, set[int]] = {}  # negotiations to refold, with extra positions

    def run(self) -> int:
        head = self.store.head()
        if self.start >= head:
            return 0
        # every amendment up to head applies to the facts read, even one that came first
        self.amendments = Amendments.load(self.store, upto=head)
        pending = 0
        for row in rows(self.store, self.start, head):
            self._handle(row)
            pending += 1
            if pending >= self.chunk:
                self._commit(row[0])
                pending = 0
        if pending:
            self._commit(head)
        return head - self.start

    def _handle(self, row: Row) -> None:
        type_ = row[2]
        if type_ in NEGOTIATION:
            fact = self.amendments.apply(fact_of(row))
            if fact is not None:
                for negotiation in self.articles.of(fact):
                    self.new.setdefault(negotiation, []).append(fact)
        elif type_ == "article.ingested":
            self.articles.remember_row(row)
        elif type_ in AMENDMENTS:
            self._amended(row[0], orjson.loads(row[4])["event_id"])

    def _amended(self, position: int, event_id: str) -> None:
        """An amendment of an event folded by an earlier catch-up refolds every negotiation
        the event has belonged to (as told, and as corrected since). One of an event not yet
        folded needs nothing: the amendment applies when the event is read."""
        target = self.store.get(event_id)
        if target is None or target.type not in NEGOTIATION or target.position > self.done:
            return
        fact = to_fact(target)
        affected = set(self.articles.of(fact))
        for earlier in self.store.read_all(types=("event.corrected",)):
            if earlier.position > position:
                break
            changes = earlier.payload["changes"]
            if earlier.payload["event_id"] == target.event_id and "negotiations" in changes:
                told = tuple(changes["negotiations"] or ())
                affected |= set(self.articles.of(fact._replace(negotiations=told)))
        for negotiation in affected:
            self.again.setdefault(negotiation, set()).add(target.position)

    def _fold_chunk(self) -> None:
        for negotiation in sorted(self.new.keys() | self.again.keys()):
            new = sorted(self.new.get(negotiation, ()), key=fold_key)
            state = self.states.get(negotiation) or self._state(negotiation)
            extra = self.again.get(negotiation)
            if extra is not None:  # amended: from nothing (an amendment may move any fact)
                positions = positions_of(self.store, negotiation) | extra
                self.refold(negotiation, positions | {f.position for f in new})
                continue
            if state is not None and new and state.late(fold_key(new[0])):
                self._refold_from(negotiation, new)
                continue
            if state is None:
                state = self.states[negotiation] = Folder(Draft(negotiation=negotiation))
            for fact in new:
                key = fold_key(fact)
                self.folded(negotiation, state, fact, key)
                self.index.place(negotiation, fact, key)
            self.touched.add(negotiation)
        self.new.clear()
        self.again.clear()

    def _refold_from(self, negotiation: str, new: list[Fact]) -> None:
        """Late reports (sorted): fold the negotiation again from its last snapshot before the
        first of them, with the facts recorded after that snapshot; regroup the timeline
        entries of the late reports' keys only (the grouping of one key never depends on
        another's)."""
        snapshot = self.tables.snapshot_before(negotiation, fold_key(new[0]))
        since = snapshot[0] if snapshot else ""
        self.write_rows()
        old = self.facts_at(negotiation, self.tables.fact_positions(negotiation, since))
        self.forget(negotiation, since)
        if snapshot is None:
            state = Folder(Draft(negotiation=negotiation))
        else:
            state = Folder(Status.model_validate_json(snapshot[1]), since)
        for fact in sorted([*old, *new], key=fold_key):
            self.folded(negotiation, state, fact, fold_key(fact))
        self.states[negotiation] = state
        self.touched.add(negotiation)
        keys: dict[Key, set[int]] = {}
        for fact in new:
            keys.setdefault(key_of(negotiation, fact), set()).add(fact.position)
        for key, positions in keys.items():
            held = self.facts_at(negotiation, self.index.positions_of_key(key) | positions)
            told = [f for f in held if key_of(negotiation, f) == key]
            self.index.replace_key(key, [h for h, _ in happenings(negotiation, told)])

    def _state(self, negotiation: str) -> Folder | None:
        row = self.tables.status(negotiation)
        if row is None:
            return None
        state = self.states[negotiation] = Folder(Status.model_validate_json(row[0]), row[1])
        return state

    def _commit(self, position: int) -> None:
        with self.tables.write_transaction():
            if checkpoint(self.store) != self.done:
                raise _Moved
            self._fold_chunk()  # reads the timeline rows: inside the write transaction
            self.write(position)
            if self.before_commit is not None:
                self.before_commit()
        self.done = position
        self.index.evict()


def _status_row(state: Folder) -> StatusRow:
    status = state.result()
    return (
        status.negotiation,
        str(status.phase),
        status.position,
        status.events,
        status.clock.isoformat() if status.clock else None,
        status.model_dump_json(),
        state.folded_to,
    )


# --- reading the read models -------------------------------------------------------------------


def dump(store: EventStore) -> dict[str, Any]:
    """Every read-model row, for comparing an incremental fold with a rebuild (and one
    backend with another)."""
    tables = read_models(store)
    return {
        "checkpoint": checkpoint(store),
        "status": {n: json.loads(s) for n, s in tables.statuses()},
        "timeline": {row[3]: list(row) for row in tables.timelines()},
    }

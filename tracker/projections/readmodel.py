"""The read models in SQLite: status per negotiation and the timeline, kept up to date by
`catch_up`, which folds the events after the checkpoint and writes the rows it changed and
the new checkpoint in ONE transaction. A crash before COMMIT leaves the old rows and the old
checkpoint, so the next catch-up folds the same events again: each is folded exactly once.

`rebuild` empties the read models and folds the whole log in a single transaction: readers
see the old read models until the new ones are complete, and a crash leaves the old ones.

A retraction or correction refolds the negotiations it touches from the log (the fold cannot
be run backwards); a rebuild from an empty read model applies every known amendment up front
instead, which gives the same rows (tests/test_projections_property.py checks this).
"""

from __future__ import annotations

import gc
import json
import multiprocessing as mp
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import orjson

from tracker.errors import StoreError
from tracker.orphans import die_with_parent, scratch_dir
from tracker.projections.draft import Draft
from tracker.projections.facts import Fact, from_payload
from tracker.projections.fold import Folder, project
from tracker.projections.log import (
    NEGOTIATION,
    Amendments,
    ArticleNegotiations,
    Row,
    fact_of,
    read_facts,
    rows,
    to_fact,
)
from tracker.projections.status import Status
from tracker.projections.timeline import happenings
from tracker.projections.timeline_table import COLUMNS, TimelineIndex, load_timeline
from tracker.query import AMENDMENTS
from tracker.store.sqlite import BUSY_TIMEOUT_S, SQLiteEventStore
from tracker.upcast import upcast

# Bump when the rules or the read-model shapes change: a store folded by an older version
# is then rebuilt on its next catch-up instead of mixing two versions of the rules.
VERSION = 5
CHECKPOINT = f"status@{VERSION}"
CHUNK = 5000  # events folded per transaction (a rebuild: per flush of its timeline rows)
PARALLEL_FROM = 20_000  # log positions from which a rebuild uses a second process
FORKED_SHARE = 0.5  # of the negotiations folded by the second process
REBUILD_CACHE_KB = 32_768  # SQLite page cache while a rebuild writes a million rows

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


def checkpoint(store: SQLiteEventStore) -> int:
    row = store.conn.execute(
        "SELECT position FROM projection_checkpoints WHERE name = ?", (CHECKPOINT,)
    ).fetchone()
    return int(row[0]) if row else 0


def catch_up(store: SQLiteEventStore, chunk: int = CHUNK, before_commit: Hook | None = None) -> int:
    """Fold every event after the checkpoint; return how many log positions were folded.
    `before_commit` runs inside each transaction just before COMMIT (for crash tests)."""
    _drop_other_versions(store)
    with _collector_paused():
        while True:
            try:
                return _Run(store, chunk, before_commit).run()
            except _Moved:
                continue


def rebuild(store: SQLiteEventStore, chunk: int = CHUNK, parallel: bool | None = None) -> int:
    """Empty the read models and fold the whole log again, in one transaction; `chunk` is
    how many events are folded between two writes of the timeline rows (memory stays flat).

    Each negotiation's status and timeline are a fold of its own events only. With
    `parallel` (by default, for a long log on a machine with more than one core) a forked
    process folds about half of the negotiations, reading the log on its own connection,
    while this one folds the others: the helper's statuses come back through a pipe and its
    timeline rows through a scratch database, copied in (by SQLite, not row by row) inside
    the one transaction, before the checkpoint."""
    conn = store.conn
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size=-{REBUILD_CACHE_KB}")
    helper: _Helper | None = None
    if parallel is None:
        parallel = store.head() >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
    if parallel and "fork" in mp.get_all_start_methods():
        helper = _Helper(store)  # attaches its scratch database: before BEGIN
    with _collector_paused():
        # Not BEGIN IMMEDIATE: that would lock the attached scratch database too. The first
        # statement, a DELETE, takes the write lock on the store all the same.
        conn.execute("BEGIN")
        try:
            _delete_rows(store)
            run = _Run(store, chunk, None, whole=True)
            if helper is not None:
                helper.start(store.head())
                run.share = helper.share
                run.folded_elsewhere = helper.finish
            folded = run.run()
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            if helper is not None:
                helper.stop()
            conn.execute(f"PRAGMA cache_size={int(cache)}")
    return folded


class Share:
    """Which negotiations the helper process folds: about FORKED_SHARE of them, taken in the
    order they first appear in the log (the same order in both processes)."""

    def __init__(self, fraction: float) -> None:
        self.fraction = fraction
        self.owner: dict[str, bool] = {}

    def helper_owns(self, negotiation: str) -> bool:
        owned = self.owner.get(negotiation)
        if owned is None:
            n = len(self.owner)
            owned = self.owner[negotiation] = int((n + 1) * self.fraction) > int(n * self.fraction)
        return owned


SCRATCH_PREFIX = "tracker-rebuild-"


class _Helper:
    """A forked process folding a share of the negotiations (statuses and timelines), reading
    the log on its own connection (the log up to head is committed, and the rebuild's write
    lock keeps it so)."""

    def __init__(self, store: SQLiteEventStore) -> None:
        self.store = store
        self.dir = scratch_dir(SCRATCH_PREFIX)  # named for this pid: swept once it is gone
        self.path = Path(self.dir) / "timeline.db"
        ddl = store.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'projection_timeline'"
        ).fetchone()[0]
        scratch = sqlite3.connect(self.path)
        scratch.execute("PRAGMA page_size=65536")  # fewer, larger pages: cheaper appends
        scratch.execute(ddl)
        scratch.commit()
        scratch.close()
        store.conn.execute("ATTACH DATABASE ? AS scratch", (str(self.path),))
        self.share = Share(FORKED_SHARE)
        self.process: BaseProcess | None = None

    def start(self, head: int) -> None:
        context = mp.get_context("fork")
        self.inbox, outbox = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_fold_share_to,
            args=(outbox, self.store.path, self.path, head, self.share.fraction, os.getpid()),
            daemon=True,
        )
        self.process.start()
        outbox.close()

    def finish(self) -> list[StatusRow]:
        """Wait for the helper; copy its timeline rows in (inside the caller's transaction)
        and return its status rows."""
        try:
            outcome, value = self.inbox.recv()
        except EOFError:
            raise StoreError("the rebuild's helper process died; nothing was rebuilt") from None
        if outcome != "ok":
            raise StoreError(f"the rebuild's helper process failed: {value}")
        self.store.conn.execute(
            "INSERT INTO main.projection_timeline SELECT * FROM scratch.projection_timeline"
        )
        rows: list[StatusRow] = value
        return rows

    def stop(self) -> None:
        if self.process is not None:
            self.inbox.close()
            self.process.join(timeout=1)
            if self.process.is_alive():  # the rebuild failed before the helper was done
                self.process.kill()
                self.process.join()
        self.store.conn.execute("DETACH DATABASE scratch")
        shutil.rmtree(self.dir, ignore_errors=True)


def _fold_share_to(
    outbox: Connection, path: Path, scratch_path: Path, head: int, fraction: float, parent: int
) -> None:
    """In the forked process: fold the helper's share of the negotiations, write their
    timeline rows into the scratch database, send their status rows back (or the error)."""
    die_with_parent(parent)
    try:
        log = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        scratch = sqlite3.connect(scratch_path, isolation_level=None)
        try:
            log.execute("PRAGMA query_only=ON")
            scratch.execute("PRAGMA journal_mode=OFF")  # a scratch file: nothing to recover
            scratch.execute("PRAGMA synchronous=OFF")
            scratch.execute(f"PRAGMA cache_size=-{REBUILD_CACHE_KB}")
            run = _Run(SQLiteEventStore(log, path), CHUNK, None, whole=True)
            run.index = TimelineIndex(SQLiteEventStore(scratch, scratch_path), fresh=True)
            run.share, run.helper = Share(fraction), True
            scratch.execute("BEGIN")
            run.run_upto(head)
            scratch.execute("COMMIT")
            rows = [_status_row(run.states[n].result()) for n in sorted(run.touched)]
        finally:
            log.close()
            scratch.close()
        outbox.send(("ok", rows))
    except BaseException as exc:
        outbox.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        outbox.close()


def _delete_rows(store: SQLiteEventStore) -> None:
    conn = store.conn
    conn.execute("DELETE FROM projection_status")
    conn.execute("DELETE FROM projection_timeline")
    conn.execute("DELETE FROM projection_checkpoints WHERE name LIKE 'status@%'")


def _drop_other_versions(store: SQLiteEventStore) -> None:
    other = store.conn.execute(
        "SELECT 1 FROM projection_checkpoints WHERE name LIKE 'status@%' AND name != ?",
        (CHECKPOINT,),
    ).fetchone()
    if not other:
        return
    conn = store.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        _delete_rows(store)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


class _Run:
    """One fold from the checkpoint to the head of the log. In chunks, each committed with
    its checkpoint; or (`whole`, for a rebuild) inside the caller's transaction, writing the
    timeline rows of each chunk as it goes and the statuses and checkpoint at the end."""

    def __init__(
        self,
        store: SQLiteEventStore,
        chunk: int,
        before_commit: Hook | None,
        whole: bool = False,
    ) -> None:
        self.store = store
        # a parallel rebuild: which timelines the helper groups, and whether this is it
        self.share: Share | None = None
        self.helper = False
        # waits for the helper, copies its timeline rows in and returns its status rows
        self.folded_elsewhere: Callable[[], list[StatusRow]] | None = None
        self.chunk = chunk
        self.before_commit = before_commit
        self.whole = whole
        self.start = 0 if whole else checkpoint(store)
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
        return self.run_upto(self.store.head())

    def run_upto(self, head: int) -> int:
        if self.start >= head:
            return 0
        if self.fresh:
            self.preloaded = Amendments.load(self.store, upto=head)
        pending = 0
        handle = self._handle
        for row in rows(self.store, self.start, head):
            handle(row)
            pending += 1
            if pending >= self.chunk:
                self._flush(row[0])
                pending = 0
        if pending or self.whole:
            self._flush(head, last=True)
        return head - self.start

    def _handle(self, row: Row) -> None:
        type_ = row[2]
        if type_ in NEGOTIATION:
            fact = self._fact(row)
            if fact is None:
                return
            share = self.share
            for negotiation in self.articles.of(fact):
                if share is not None and share.helper_owns(negotiation) is not self.helper:
                    continue  # the other process of a parallel rebuild folds this one
                state = self.states.get(negotiation) or self._state(negotiation)
                state.fold(fact)
                self.touched.add(negotiation)
                self.index.place(negotiation, fact)
        elif type_ == "article.ingested":
            self.articles.remember_row(row)
        elif type_ in AMENDMENTS and self.preloaded is None:
            self._refold_for(row[0], orjson.loads(row[4])["event_id"])

    def _fact(self, row: Row) -> Fact | None:
        """The (amended) fact of a row; None if retracted, or (in a parallel rebuild) if it
        belongs only to negotiations the other process folds: then it is not built."""
        if self.preloaded is None:
            return fact_of(row)
        position, event_id, type_, version, text, recorded_at = row
        payload = upcast(type_, version, orjson.loads(text))
        share = self.share
        if share is not None and event_id not in self.preloaded.corrected:
            told = self.articles.of_told(payload.get("negotiations"), payload.get("article_id"))
            # every name is looked up (no short cut): both processes must meet new
            # negotiations in the same order for their shares to agree
            owners = [share.helper_owns(n) for n in told]
            if self.helper not in owners:
                return None
        return self.preloaded.apply(from_payload(type_, payload, position, event_id, recorded_at))

    def _state(self, negotiation: str) -> Folder:
        # a rebuild starts from nothing (its forked helper would still read the old rows)
        status = None if self.whole else load_status(self.store, negotiation)
        state = self.states[negotiation] = Folder(status or Draft(negotiation=negotiation))
        return state

    def _refold_for(self, position: int, event_id: str) -> None:
        target = self.store.get(event_id)
        if target is None or target.type not in NEGOTIATION:
            return
        fact = to_fact(target)
        # every negotiation the event has belonged to, as told and as corrected since
        affected = set(self.articles.of(fact))
        for earlier in self.store.read_all(types=("event.corrected",)):
            if earlier.position > position:
                break
            changes = earlier.payload["changes"]
            if earlier.payload["event_id"] == target.event_id and "negotiations" in changes:
                told = tuple(changes["negotiations"] or ())
                affected |= set(self.articles.of(fact._replace(negotiations=told)))
        amendments = Amendments.load(self.store, upto=position)
        facts: dict[str, list[Fact]] = {n: [] for n in affected}
        for one, negotiations in read_facts(self.store, amendments, self.articles, upto=position):
            for negotiation in negotiations:
                if negotiation in facts:
                    facts[negotiation].append(one)
        for negotiation, folded in facts.items():
            self.index.reset(negotiation, [h for h, _ in happenings(negotiation, folded)])
            if folded:
                self.states[negotiation] = Folder(project(negotiation, folded))
                self.touched.add(negotiation)
                self.emptied.discard(negotiation)
            else:  # nothing left: as if it had never been told, which is what a rebuild sees
                self.states.pop(negotiation, None)
                self.touched.discard(negotiation)
                self.emptied.add(negotiation)

    def _flush(self, position: int, last: bool = False) -> None:
        if not self.whole:
            self._commit(position)
        elif last and not self.helper:
            self._write(position)
        else:  # a rebuild writes its timeline rows as it goes, to keep memory flat
            self.index.write()
        self.index.evict()

    def _commit(self, position: int) -> None:
        conn = self.store.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            if checkpoint(self.store) != self.done:
                raise _Moved
            self._write(position)
            if self.before_commit is not None:
                self.before_commit()
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self.done = position

    def _write(self, position: int) -> None:
        """The rows changed since the last write and the checkpoint, in the open transaction."""
        conn = self.store.conn
        conn.executemany(
            "DELETE FROM projection_status WHERE negotiation = ?",
            [(n,) for n in sorted(self.emptied)],
        )
        status_rows = [_status_row(self.states[n].result()) for n in sorted(self.touched)]
        self.index.write()
        if self.folded_elsewhere is not None:
            status_rows += self.folded_elsewhere()
        conn.executemany(
            "INSERT OR REPLACE INTO projection_status "
            "(negotiation, phase, position, events, clock, status) VALUES (?,?,?,?,?,?)",
            status_rows,
        )
        conn.execute(
            "INSERT OR REPLACE INTO projection_checkpoints (name, position, updated_at) "
            "VALUES (?, ?, ?)",
            (CHECKPOINT, position, datetime.now(UTC).isoformat(timespec="seconds")),
        )
        self.touched.clear()
        self.emptied.clear()


StatusRow = tuple[Any, ...]


def _status_row(status: Status) -> StatusRow:
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
    found = store.conn.execute("SELECT negotiation FROM projection_status ORDER BY negotiation")
    return [row[0] for row in found]


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
            row[3]: list(row) for row in conn.execute(f"SELECT {COLUMNS} FROM projection_timeline")
        },
    }

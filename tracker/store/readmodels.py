"""The read-model store interface: the tables the projections keep beside the log (status per
negotiation, the timeline, the facts and snapshots a late report refolds from, the
checkpoints) and the reads of the log they fold from, with one implementation per backend
(readmodels_sqlite.py, readmodels_pg.py). The fold (tracker/projections) talks to this only;
every SQL statement of the read models is behind it.

A catch-up writes its rows and its checkpoint inside `write_transaction()`, so a crash before
the commit leaves the old rows and the old checkpoint; the transaction also serialises
catch-ups of several processes, so the checkpoint read inside it is the one it replaces."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from tracker.errors import StoreError
from tracker.store.base import EventStore

# position, event_id, type, schema_version, payload (JSON text), recorded_at
Row = tuple[int, str, str, int, str, str]
# A timeline row, in this column order (tracker/projections/timeline_table.py builds them).
TIMELINE_COLUMNS = (
    "negotiation, date, rank, id, first_position, type, actor, target, modality, sources, "
    "source_names, articles, positions, last_position, match_key"
)
# negotiation, phase, position, events, clock, status (JSON), folded_to
StatusRow = tuple[Any, ...]


class ReadModels(Protocol):
    # --- transactions ---------------------------------------------------------------------
    def write_transaction(self) -> AbstractContextManager[None]:
        """One transaction for the rows and the checkpoint; one writer at a time."""
        ...

    def rebuild_transaction(self) -> AbstractContextManager[None]:
        """The same, tuned for writing every row again."""
        ...

    # --- the log, as the fold reads it --------------------------------------------------
    def rows(self, after: int, upto: int) -> Iterator[Row]:
        """The log rows in (after, upto], in order, paged (no read held open across pages)."""
        ...

    def sorted_rows(self, upto: int, types: Sequence[str]) -> Iterator[Row]:
        """The events of these types up to `upto`, in fold order (facts.fold_key, computed
        from the stored payload)."""
        ...

    def rows_at(self, positions: Iterable[int]) -> Iterator[Row]:
        """The log rows at these positions, in position order."""
        ...

    def article_negotiations(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Every ingested article's id and the negotiations it was filed under."""
        ...

    # --- checkpoints ------------------------------------------------------------------------
    def checkpoint(self, name: str) -> int: ...

    def set_checkpoint(self, name: str, position: int) -> None: ...

    def other_versions(self, prefix: str, name: str) -> bool:
        """Whether a checkpoint named `prefix`... other than `name` is stored."""
        ...

    def clear(self, prefix: str) -> None:
        """Empty the projection tables and drop the checkpoints named `prefix`..."""
        ...

    # --- status -----------------------------------------------------------------------------
    def status(self, negotiation: str) -> tuple[str, str] | None:
        """The status JSON and its fold key (folded_to), or None."""
        ...

    def statuses(self) -> Iterator[tuple[str, str]]:
        """Every negotiation and its status JSON, by negotiation."""
        ...

    def negotiations(self) -> list[str]: ...

    def put_statuses(self, rows: Sequence[StatusRow]) -> None: ...

    def delete_statuses(self, negotiations: Iterable[str]) -> None: ...

    # --- facts and snapshots ----------------------------------------------------------------
    def put_facts(self, rows: Sequence[tuple[str, str, int]]) -> None: ...

    def put_snapshots(self, rows: Sequence[tuple[str, str, str]]) -> None: ...

    def forget(self, negotiation: str, after: str) -> None:
        """Drop the negotiation's facts and snapshots with a fold key after `after`."""
        ...

    def snapshot_before(self, negotiation: str, key: str) -> tuple[str, str] | None:
        """The last snapshot (key, status JSON) with a key before `key`."""
        ...

    def fact_positions(self, negotiation: str, after: str) -> list[int]: ...

    # --- timeline ---------------------------------------------------------------------------
    def timeline_window(
        self, negotiation: str, first: str, last: str, match_key: str
    ) -> list[tuple[Any, ...]]:
        """The entries of one match key dated from `first` to `last` (ISO days)."""
        ...

    def put_timeline(self, rows: Sequence[tuple[Any, ...]]) -> None: ...

    def delete_timeline(self, negotiation: str, match_key: str | None = None) -> None: ...

    def timeline_positions(self, negotiation: str, match_key: str | None = None) -> set[int]:
        """Every log position held by the negotiation's entries (of one match key)."""
        ...

    def timeline_page(
        self,
        negotiation: str,
        since: str | None,
        until: str | None,
        dated: bool,
        after: tuple[str, str],
        limit: int,
    ) -> list[tuple[Any, ...]]:
        """The next entries after the (date, rank) `after`, dated or undated ones."""
        ...

    def timeline_last(
        self, negotiation: str, since: str | None, until: str | None, dated: bool, limit: int
    ) -> list[tuple[Any, ...]]:
        """The last `limit` entries, newest first, dated or undated ones."""
        ...

    def timelines(self) -> Iterator[tuple[Any, ...]]:
        """Every timeline row (for comparing a fold with a rebuild)."""
        ...

    # --- full-text search -------------------------------------------------------------------
    def search_ready(self) -> None:
        """The search tables and indexes, where the backend makes them on first use."""
        ...

    def put_search_article(
        self, article_id: str, text_sha256: str | None, title: str, negotiations: str
    ) -> None:
        """An article to find by its kept text (negotiations: a JSON list)."""
        ...

    def set_search_negotiations(self, article_id: str, negotiations: str) -> None: ...

    def put_search_evidence(
        self,
        position: int,
        event_id: str,
        article_id: str,
        summary: str,
        negotiations: str,
        body: str,
    ) -> None: ...

    def search(self, kind: str, query: str) -> list[tuple[Any, ...]]:
        """Matches of `query` among articles or evidence, best first: (article_id, event_id,
        title, negotiations JSON, snippet with the words found between « and »). Raises
        UsageError for a query the backend cannot read."""
        ...

    # --- the log's record time ----------------------------------------------------------------
    def recorded_at(self, position: int) -> str | None: ...


def has_read_models(store: EventStore) -> bool:
    """SQLite and PostgreSQL keep read models; the in-memory recorder (tests) does not."""
    from tracker.store.sqlite import SQLiteEventStore

    return isinstance(store, SQLiteEventStore) or type(store).__module__ == _PG


def read_models(store: EventStore) -> ReadModels:
    """The read models beside this store's log (psycopg is imported only for a PG store)."""
    from tracker.store.sqlite import SQLiteEventStore

    if isinstance(store, SQLiteEventStore):
        from tracker.store.readmodels_sqlite import SQLiteReadModels

        return SQLiteReadModels(store.conn)
    if type(store).__module__ == _PG:
        from tracker.store.postgres import PostgresEventStore
        from tracker.store.readmodels_pg import PostgresReadModels

        assert isinstance(store, PostgresEventStore)
        return PostgresReadModels(store)
    raise StoreError(f"no read models beside a {type(store).__name__}")


_PG = "tracker.store.postgres"

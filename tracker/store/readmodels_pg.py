"""The read models on PostgreSQL (migrations/postgresql/0004_read_models.sql): the same tables
and rows as SQLite's, beside the log in the same database, so status, timeline, diff and
export answer the same on either backend. The statements are SQLite's (readmodels_sqlite.py)
with PostgreSQL's parameters; only the upserts, the transactions and the JSON reads of the
log are spelt here.

A catch-up's rows and checkpoint commit in one transaction that first takes an advisory lock
(READ_MODEL_LOCK): catch-ups from several processes (pollers, analysts' commands) run one at a
time, and each reads the checkpoint it replaces under the lock. Readers never wait: they see
the rows of the last committed catch-up."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
import psycopg

from tracker.errors import StoreError, UsageError
from tracker.store.pg_migrate import first_line
from tracker.store.postgres import PostgresEventStore
from tracker.store.readmodels import TIMELINE_COLUMNS, Row
from tracker.store.readmodels_sqlite import LOG_COLUMNS, SQLiteReadModels

READ_MODEL_LOCK = 0x7472_6B72  # "trkr": one catch-up at a time on this database
ROWS_AT = 1000  # rows read per query when reading by position
# facts.fold_key computed from the stored payload, as readmodels_sqlite._KEYED does; COLLATE
# "C" so the days and article ids sort byte-wise, as on SQLite, whatever the locale.
# "OFFSET 0" keeps the planner from inlining p: inlined, each "p ->>" parsed the payload
# again (five times a row); a 100k-event rebuild's sort 2.2-2.6 s -> 0.9 s, same order.
_FOLD_ORDER = """
SELECT position FROM events, LATERAL (SELECT payload::jsonb AS p OFFSET 0) AS j
WHERE position <= %s AND type = ANY(%s)
ORDER BY substr(coalesce(
             CASE WHEN coalesce(p ->> 'modality', 'asserted') IN ('asserted', 'negated')
                  THEN coalesce(p ->> 'occurred', p ->> 'published')
                  ELSE coalesce(p ->> 'published', p ->> 'occurred') END,
             recorded_at), 1, 10) COLLATE "C",
         coalesce(p ->> 'article_id', '') COLLATE "C",
         CASE coalesce(p ->> 'article_id', '') WHEN '' THEN 0 ELSE position END,
         event_id
"""


def _upsert(table: str, columns: str, key: str) -> str:
    names = [c.strip() for c in columns.split(",")]
    keys = {k.strip() for k in key.split(",")}
    update = ", ".join(f"{c} = EXCLUDED.{c}" for c in names if c not in keys)
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({','.join('?' * len(names))}) "
        f"ON CONFLICT ({key}) DO UPDATE SET {update}"
    )


class PostgresReadModels(SQLiteReadModels):
    UPSERT_CHECKPOINT = _upsert("projection_checkpoints", "name, position, updated_at", "name")
    UPSERT_STATUS = _upsert(
        "projection_status",
        "negotiation, phase, position, events, clock, status, folded_to",
        "negotiation",
    )
    UPSERT_FACTS = _upsert("projection_facts", "negotiation, key, position", "negotiation, key")
    UPSERT_SNAPSHOTS = _upsert(
        "projection_snapshots", "negotiation, key, status", "negotiation, key"
    )
    UPSERT_TIMELINE = _upsert("projection_timeline", TIMELINE_COLUMNS, "negotiation, date, rank")

    def __init__(self, store: PostgresEventStore) -> None:
        self.pg = store.conn
        self.where = store.path

    def _failed(self, exc: psycopg.Error) -> StoreError:
        return StoreError(f"the read models of {self.where}: {first_line(exc)}")

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            rows: list[tuple[Any, ...]] = self.pg.execute(_pg(sql), params).fetchall()
        except psycopg.Error as exc:
            raise self._failed(exc) from None
        return rows

    def _run(self, sql: str, params: Sequence[Any] = ()) -> None:
        try:
            self.pg.execute(_pg(sql), params)
        except psycopg.Error as exc:
            raise self._failed(exc) from None

    def _many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = list(rows)
        if not batch:
            return
        # Prepared for the batch: the server then parses and plans the upsert once, not once
        # per row (the connection prepares nothing otherwise: see postgres.open_pg_store).
        threshold, self.pg.prepare_threshold = self.pg.prepare_threshold, 0
        try:
            with self.pg.cursor() as cur:
                cur.executemany(_pg(sql), batch)
        except psycopg.Error as exc:
            raise self._failed(exc) from None
        finally:
            self.pg.prepare_threshold = threshold

    @contextmanager
    def write_transaction(self) -> Iterator[None]:
        try:
            with self.pg.transaction():
                self.pg.execute("SELECT pg_advisory_xact_lock(%s)", (READ_MODEL_LOCK,))
                yield
        except psycopg.Error as exc:
            raise self._failed(exc) from None

    @contextmanager
    def rebuild_transaction(self) -> Iterator[None]:
        with self.write_transaction():
            yield

    def sorted_rows(self, upto: int, types: Sequence[str]) -> Iterator[Row]:
        # The server sorts the positions (a few bytes each); the rows are then read a page
        # at a time, so no cursor stays open while the fold writes in the same transaction.
        try:
            order = [p for (p,) in self.pg.execute(_FOLD_ORDER.encode(), (upto, list(types)))]
        except psycopg.Error as exc:
            raise self._failed(exc) from None
        for first in range(0, len(order), ROWS_AT):
            chunk = order[first : first + ROWS_AT]
            found = {row[0]: row for row in self.rows_at(chunk)}
            yield from (found[p] for p in chunk)

    def rows_at(self, positions: Iterable[int]) -> Iterator[Row]:
        wanted = sorted(positions)
        for first in range(0, len(wanted), ROWS_AT):
            yield from self._all(
                f"SELECT {LOG_COLUMNS} FROM events WHERE position = ANY(?) ORDER BY position",
                (wanted[first : first + ROWS_AT],),
            )

    def article_negotiations(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        for article_id, told in self._all(
            "SELECT (payload::jsonb) ->> 'article_id', (payload::jsonb) ->> 'negotiations'"
            " FROM events WHERE type = 'article.ingested'"
        ):
            yield article_id, tuple(orjson.loads(told)) if told else ()

    # --- full-text search: tsvector, GIN indexes (migrations/postgresql/0005_search.sql) ----

    def search_ready(self) -> None:
        """Nothing to do: the migrations made the tables and indexes."""

    def put_search_article(
        self, article_id: str, text_sha256: str | None, title: str, negotiations: str
    ) -> None:
        self._run(
            _upsert(
                "search_articles", "article_id, text_sha256, title, negotiations", "article_id"
            ),
            (article_id, text_sha256, title, negotiations),
        )

    def put_search_evidence(
        self,
        position: int,
        event_id: str,
        article_id: str,
        summary: str,
        negotiations: str,
        body: str,
    ) -> None:
        self._run(
            _upsert(
                "search_evidence",
                "position, event_id, article_id, summary, negotiations, body",
                "position",
            ),
            (position, event_id, article_id, summary, negotiations, body),
        )

    def search(self, kind: str, query: str) -> list[tuple[Any, ...]]:
        """Web-search syntax ("a phrase", or, -word), as people type into a search box; a
        word ending in * matches as a prefix (as in FTS5). ts_headline marks the words found."""
        if "*" in query:
            words = [_word(w) for w in query.split()]
            tsquery = " & ".join(w for w in words if w)
            function = "to_tsquery"
            if not tsquery:
                raise UsageError(f"cannot search for {query!r}: no words in it")
        else:
            tsquery, function = query, "websearch_to_tsquery"
        sql = (_ARTICLES if kind == "article" else _EVIDENCE).format(query=function)
        try:
            rows: list[tuple[Any, ...]] = self.pg.execute(sql.encode(), (tsquery,)).fetchall()
        except psycopg.errors.SyntaxError as exc:
            raise UsageError(f"cannot search for {query!r}: {first_line(exc)}") from None
        except psycopg.Error as exc:
            raise self._failed(exc) from None
        return rows


_HEADLINE = "'StartSel=«, StopSel=», MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter=…'"
_ARTICLES = f"""
SELECT a.article_id, NULL, a.title, a.negotiations,
       ts_headline('english', t.text, q, {_HEADLINE})
FROM {{query}}('english', %s) AS q, article_texts AS t
JOIN search_articles AS a ON a.text_sha256 = t.sha256
WHERE to_tsvector('english', t.text) @@ q
ORDER BY ts_rank(to_tsvector('english', t.text), q) DESC, a.article_id"""
_EVIDENCE = f"""
SELECT e.article_id, e.event_id, e.summary, e.negotiations,
       ts_headline('english', e.body, q, {_HEADLINE})
FROM {{query}}('english', %s) AS q, search_evidence AS e
WHERE e.words @@ q ORDER BY ts_rank(e.words, q) DESC, e.position"""


def _word(typed: str) -> str:
    """One typed word as a tsquery term: letters and digits only, `walk*` as a prefix."""
    core = "".join(c for c in typed if c.isalnum())
    return f"{core}:*" if core and typed.endswith("*") else core


def _pg(sql: str) -> bytes:
    """SQLite's `?` parameters as psycopg's (the statements hold no literal `?` or `%`)."""
    return sql.replace("%", "%%").replace("?", "%s").encode()

"""The read models in SQLite (migrations/0002_projections.sql, 0005_fold_by_valid_time.sql):
the tables a user can open with ordinary SQLite tools, beside the log in the same file.

The statements are written once, with `?` parameters; PostgreSQL's implementation
(readmodels_pg.py) runs the same ones and replaces only what its dialect spells otherwise:
the upserts, the transactions and the reads of JSON in the log."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import orjson

from tracker.errors import UsageError
from tracker.store.readmodels import TIMELINE_COLUMNS, Row, StatusRow

PAGE = 5000  # log rows read per query: memory stays flat, no read held open across a write
IN_CHUNK = 500  # stays under SQLite's limit on bound parameters
REBUILD_CACHE_KB = 32_768  # SQLite page cache while a rebuild writes a million rows
LOG_COLUMNS = "position, event_id, type, schema_version, payload, recorded_at"

# The rebuild's order: facts.fold_key's four parts, computed by SQLite from the stored payload
# (an upcast or corrected payload may sort elsewhere: the fold checks each key and folds such
# a negotiation again). SQLite sorts the (key, position) pairs, then reads the rows by position.
# "+type": one pass over the log in position order, not one index range per event type
# (a fold reads most of the log; measured 0.69 -> 0.46 s CPU for a 100k-event rebuild).
_KEYED = """
SELECT substr(coalesce(
           CASE WHEN coalesce(json_extract(payload, '$.modality'), 'asserted')
                     IN ('asserted', 'negated')
                THEN coalesce(json_extract(payload, '$.occurred'),
                              json_extract(payload, '$.published'))
                ELSE coalesce(json_extract(payload, '$.published'),
                              json_extract(payload, '$.occurred')) END,
           recorded_at), 1, 10) AS day,
       coalesce(json_extract(payload, '$.article_id'), '') AS article,
       position, event_id
FROM events WHERE position <= ? AND +type IN ({types})
"""
_SORTED = """
SELECT e.position, e.event_id, e.type, e.schema_version, e.payload, e.recorded_at
FROM ({keyed}) AS k
JOIN events AS e ON e.position = k.position
ORDER BY k.day, k.article, CASE k.article WHEN '' THEN 0 ELSE k.position END, k.event_id
"""


SEARCH_TABLES = ("article_texts", "search_articles", "search_evidence")
_ARTICLES = """
SELECT a.article_id, NULL, a.title, a.negotiations,
       snippet(article_texts_fts, 0, '«', '»', '…', 12)
FROM article_texts_fts
JOIN article_texts t ON t.rowid = article_texts_fts.rowid
JOIN search_articles a ON a.text_sha256 = t.sha256
WHERE article_texts_fts MATCH ? ORDER BY rank, a.article_id"""
_EVIDENCE = """
SELECT e.article_id, e.event_id, e.summary, e.negotiations,
       snippet(search_evidence_fts, 0, '«', '»', '…', 12)
FROM search_evidence_fts
JOIN search_evidence e ON e.rowid = search_evidence_fts.rowid
WHERE search_evidence_fts MATCH ? ORDER BY rank, e.position"""


def _filters(since: str | None, until: str | None) -> tuple[str, list[Any]]:
    where, params = "", []
    if since is not None:
        where += " AND date >= ?"
        params.append(since)
    if until is not None:
        where += " AND date != '' AND date <= ?"
        params.append(until)
    return where, params


class SQLiteReadModels:
    UPSERT_CHECKPOINT = (
        "INSERT OR REPLACE INTO projection_checkpoints (name, position, updated_at) "
        "VALUES (?, ?, ?)"
    )
    UPSERT_STATUS = (
        "INSERT OR REPLACE INTO projection_status "
        "(negotiation, phase, position, events, clock, status, folded_to) VALUES (?,?,?,?,?,?,?)"
    )
    UPSERT_FACTS = "INSERT OR REPLACE INTO projection_facts VALUES (?,?,?)"
    UPSERT_SNAPSHOTS = "INSERT OR REPLACE INTO projection_snapshots VALUES (?,?,?)"
    UPSERT_TIMELINE = (
        f"INSERT OR REPLACE INTO projection_timeline ({TIMELINE_COLUMNS}) "
        f"VALUES ({','.join('?' * 15)})"
    )

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # --- how statements run (PostgreSQL's implementation replaces these) ------------------

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(sql, params)

    def _many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    @contextmanager
    def write_transaction(self) -> Iterator[None]:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")  # the write lock first: one catch-up at a time
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @contextmanager
    def rebuild_transaction(self) -> Iterator[None]:
        cache = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size=-{REBUILD_CACHE_KB}")
        try:
            with self.write_transaction(), self._indexes_built_after():
                yield
        finally:
            self.conn.execute(f"PRAGMA cache_size={int(cache)}")

    @contextmanager
    def _indexes_built_after(self) -> Iterator[None]:
        """The secondary indexes of the projection tables are dropped for the rebuild and made
        again, from their own stored definitions, before it commits: one sort of the finished
        table instead of one b-tree insert per row, and emptying the table has one b-tree less
        to clear (a 100k-event rebuild: about 0.4 s CPU of 6). Inside the transaction, so
        readers keep the old tables and indexes until the COMMIT, and a failure restores
        them. The rebuild's own reads are by the primary keys."""
        indexes = self._all(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name GLOB 'projection_*' ORDER BY name"
        )
        for name, _ in indexes:
            self._run(f'DROP INDEX "{name}"')
        yield
        for _, sql in indexes:
            self._run(sql)

    # --- the log ------------------------------------------------------------------------

    def rows(self, after: int, upto: int) -> Iterator[Row]:
        while after < upto:
            page = self._all(
                f"SELECT {LOG_COLUMNS} FROM events "
                "WHERE position > ? AND position <= ? ORDER BY position LIMIT ?",
                (after, upto, PAGE),
            )
            if not page:
                return
            yield from page
            after = page[-1][0]

    def sorted_rows(self, upto: int, types: Sequence[str]) -> Iterator[Row]:
        keyed = _KEYED.format(types=",".join("?" * len(types)))
        yield from self.conn.execute(_SORTED.format(keyed=keyed), (upto, *types))

    def rows_at(self, positions: Iterable[int]) -> Iterator[Row]:
        wanted = sorted(positions)
        for first in range(0, len(wanted), IN_CHUNK):
            chunk = wanted[first : first + IN_CHUNK]
            yield from self.conn.execute(
                f"SELECT {LOG_COLUMNS} FROM events "
                f"WHERE position IN ({','.join('?' * len(chunk))}) ORDER BY position",
                chunk,
            )

    def article_negotiations(self) -> Iterator[tuple[str, tuple[str, ...]]]:
        for article_id, told in self.conn.execute(
            "SELECT json_extract(payload, '$.article_id'), json_extract(payload, '$.negotiations')"
            " FROM events WHERE type = 'article.ingested'"
        ):
            yield article_id, tuple(orjson.loads(told)) if told else ()

    def recorded_at(self, position: int) -> str | None:
        rows = self._all("SELECT recorded_at FROM events WHERE position = ?", (position,))
        return str(rows[0][0]) if rows else None

    # --- checkpoints ----------------------------------------------------------------------

    def checkpoint(self, name: str) -> int:
        rows = self._all("SELECT position FROM projection_checkpoints WHERE name = ?", (name,))
        return int(rows[0][0]) if rows else 0

    def set_checkpoint(self, name: str, position: int) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._run(self.UPSERT_CHECKPOINT, (name, position, now))

    def other_versions(self, prefix: str, name: str) -> bool:
        return bool(
            self._all(
                "SELECT 1 FROM projection_checkpoints WHERE name LIKE ? AND name != ?",
                (prefix + "%", name),
            )
        )

    def clear(self, prefix: str) -> None:
        for table in ("status", "timeline", "facts", "snapshots"):
            self._run(f"DELETE FROM projection_{table}")
        self._run("DELETE FROM projection_checkpoints WHERE name LIKE ?", (prefix + "%",))

    # --- status ---------------------------------------------------------------------------

    def status(self, negotiation: str) -> tuple[str, str] | None:
        rows = self._all(
            "SELECT status, folded_to FROM projection_status WHERE negotiation = ?",
            (negotiation,),
        )
        return (rows[0][0], rows[0][1]) if rows else None

    def statuses(self) -> Iterator[tuple[str, str]]:
        rows = self._all("SELECT negotiation, status FROM projection_status ORDER BY negotiation")
        yield from ((negotiation, status) for negotiation, status in rows)

    def negotiations(self) -> list[str]:
        rows = self._all("SELECT negotiation FROM projection_status ORDER BY negotiation")
        return [row[0] for row in rows]

    def put_statuses(self, rows: Sequence[StatusRow]) -> None:
        self._many(self.UPSERT_STATUS, rows)

    def delete_statuses(self, negotiations: Iterable[str]) -> None:
        self._many(
            "DELETE FROM projection_status WHERE negotiation = ?", [(n,) for n in negotiations]
        )

    # --- facts and snapshots --------------------------------------------------------------

    def put_facts(self, rows: Sequence[tuple[str, str, int]]) -> None:
        self._many(self.UPSERT_FACTS, rows)

    def put_snapshots(self, rows: Sequence[tuple[str, str, str]]) -> None:
        self._many(self.UPSERT_SNAPSHOTS, rows)

    def forget(self, negotiation: str, after: str) -> None:
        for table in ("projection_facts", "projection_snapshots"):
            self._run(
                f"DELETE FROM {table} WHERE negotiation = ? AND key > ?", (negotiation, after)
            )

    def snapshot_before(self, negotiation: str, key: str) -> tuple[str, str] | None:
        rows = self._all(
            "SELECT key, status FROM projection_snapshots WHERE negotiation = ? AND key < ? "
            "ORDER BY key DESC LIMIT 1",
            (negotiation, key),
        )
        return (rows[0][0], rows[0][1]) if rows else None

    def fact_positions(self, negotiation: str, after: str) -> list[int]:
        rows = self._all(
            "SELECT position FROM projection_facts WHERE negotiation = ? AND key > ?",
            (negotiation, after),
        )
        return [int(p) for (p,) in rows]

    # --- timeline -------------------------------------------------------------------------

    def timeline_window(
        self, negotiation: str, first: str, last: str, match_key: str
    ) -> list[tuple[Any, ...]]:
        return self._all(
            f"SELECT {TIMELINE_COLUMNS} FROM projection_timeline WHERE negotiation = ? "
            "AND date BETWEEN ? AND ? AND match_key = ?",
            (negotiation, first, last, match_key),
        )

    def put_timeline(self, rows: Sequence[tuple[Any, ...]]) -> None:
        self._many(self.UPSERT_TIMELINE, rows)

    def delete_timeline(self, negotiation: str, match_key: str | None = None) -> None:
        where, params = _by_key(negotiation, match_key)
        self._run(f"DELETE FROM projection_timeline WHERE {where}", params)

    def timeline_positions(self, negotiation: str, match_key: str | None = None) -> set[int]:
        where, params = _by_key(negotiation, match_key)
        found: set[int] = set()
        for (held,) in self._all(
            f"SELECT positions FROM projection_timeline WHERE {where}", params
        ):
            found.update(orjson.loads(held))
        return found

    def timeline_page(
        self,
        negotiation: str,
        since: str | None,
        until: str | None,
        dated: bool,
        after: tuple[str, str],
        limit: int,
    ) -> list[tuple[Any, ...]]:
        where, params = _filters(since, until)
        clause = "date != '' AND (date, rank) > (?, ?)" if dated else "date = '' AND rank > ?"
        keyset = list(after) if dated else [after[1]]
        return self._all(
            f"SELECT {TIMELINE_COLUMNS} FROM projection_timeline "
            f"WHERE negotiation = ?{where} AND {clause} ORDER BY date, rank LIMIT ?",
            [negotiation, *params, *keyset, limit],
        )

    def timeline_last(
        self, negotiation: str, since: str | None, until: str | None, dated: bool, limit: int
    ) -> list[tuple[Any, ...]]:
        where, params = _filters(since, until)
        order = (
            "date != '' ORDER BY date DESC, rank DESC" if dated else "date = '' ORDER BY rank DESC"
        )
        return self._all(
            f"SELECT {TIMELINE_COLUMNS} FROM projection_timeline "
            f"WHERE negotiation = ?{where} AND {order} LIMIT ?",
            [negotiation, *params, limit],
        )

    def timelines(self) -> Iterator[tuple[Any, ...]]:
        yield from self._all(f"SELECT {TIMELINE_COLUMNS} FROM projection_timeline")

    # --- full-text search (FTS5, set up by sqlite-utils) ----------------------------------

    def search_ready(self) -> None:
        """The search tables and their FTS5 indexes, made by sqlite-utils on first use (it runs
        its own statements, so this is outside any transaction of ours). The texts are indexed
        where they are kept (article_texts, the FTS5 table's external content)."""
        import sqlite_utils  # numpy underneath: only for the command that searches

        db = sqlite_utils.Database(self.conn)
        texts, articles, evidence = (db.table(n) for n in SEARCH_TABLES)
        if not texts.detect_fts():
            texts.enable_fts(["text"], tokenize="porter", create_triggers=True)
        articles.create(
            {"article_id": str, "text_sha256": str, "title": str, "negotiations": str},
            pk="article_id",
            if_not_exists=True,
        )
        if not evidence.exists():
            evidence.create(
                {
                    "position": int,
                    "event_id": str,
                    "article_id": str,
                    "summary": str,
                    "negotiations": str,
                    "body": str,
                },
                pk="position",
            )
        if not evidence.detect_fts():
            evidence.enable_fts(["body"], tokenize="porter", create_triggers=True)

    def put_search_article(
        self, article_id: str, text_sha256: str | None, title: str, negotiations: str
    ) -> None:
        self._run(
            "INSERT OR REPLACE INTO search_articles VALUES (?, ?, ?, ?)",
            (article_id, text_sha256, title, negotiations),
        )

    def set_search_negotiations(self, article_id: str, negotiations: str) -> None:
        self._run(
            "UPDATE search_articles SET negotiations = ? WHERE article_id = ?",
            (negotiations, article_id),
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
            "INSERT OR REPLACE INTO search_evidence VALUES (?, ?, ?, ?, ?, ?)",
            (position, event_id, article_id, summary, negotiations, body),
        )

    def search(self, kind: str, query: str) -> list[tuple[Any, ...]]:
        """FTS5 query syntax as typed ("strike AND vote", "walk*"); what FTS5 cannot parse
        (a hyphenated id, a stray quote) is searched as plain words instead."""
        sql = _ARTICLES if kind == "article" else _EVIDENCE
        try:
            return self.conn.execute(sql, (query,)).fetchall()
        except sqlite3.OperationalError:
            import sqlite_utils

            quoted = sqlite_utils.Database(self.conn).quote_fts(query)
            try:
                return self.conn.execute(sql, (quoted,)).fetchall()
            except sqlite3.OperationalError as exc:
                raise UsageError(f"cannot search for {query!r}: {exc}") from None


def _by_key(negotiation: str, match_key: str | None) -> tuple[str, list[str]]:
    if match_key is None:
        return "negotiation = ?", [negotiation]
    return "negotiation = ? AND match_key = ?", [negotiation, match_key]

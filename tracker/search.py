"""Full-text search over the stored articles and the evidence of their events (SQLite FTS5,
set up with sqlite-utils). The texts are indexed where they are kept (article_texts, as the
FTS5 table's external content, so no text is stored twice); the evidence and which article
is in which negotiation are a read model folded from the log, like the projections, with its
checkpoint in projection_checkpoints. Retracted events are not found."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

import orjson

from tracker.errors import UsageError
from tracker.events import NEGOTIATION_TYPES
from tracker.projections.log import rows
from tracker.store.sqlite import SQLiteEventStore
from tracker.upcast import upcast

CHECKPOINT = "search@1"
_TABLES = ("article_texts", "search_articles", "search_evidence")
FOLDED = frozenset({"article.ingested", "article.reextracted", *NEGOTIATION_TYPES})


@dataclass(frozen=True)
class Hit:
    kind: str  # article | evidence
    article_id: str
    negotiations: tuple[str, ...]
    title: str  # the article's title, or the event in a few words
    snippet: str
    event_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "article_id": self.article_id,
            "event_id": self.event_id,
            "negotiations": list(self.negotiations),
            "title": self.title,
            "snippet": self.snippet,
        }


def search(
    store: SQLiteEventStore, query: str, negotiation: str | None = None, limit: int = 20
) -> list[Hit]:
    if not query.strip():
        raise UsageError("the search query must not be empty")
    catch_up(store)
    retracted = {e.payload["event_id"] for e in store.read_all(types=("event.retracted",))}
    hits: list[Hit] = []
    for sql, kind in ((_ARTICLES, "article"), (_EVIDENCE, "evidence")):
        for row in _match(store, sql, query):
            article_id, event_id, title, told, snippet = row
            negotiations = tuple(json.loads(told))
            if event_id in retracted or (negotiation and negotiation not in negotiations):
                continue
            hits.append(Hit(kind, article_id, negotiations, title, _flat(snippet), event_id))
    return hits[:limit]


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


def _match(store: SQLiteEventStore, sql: str, query: str) -> list[tuple[Any, ...]]:
    """FTS5 query syntax as typed ("strike AND vote", "walk*"); what FTS5 cannot parse
    (a hyphenated id, a stray quote) is searched as plain words instead."""
    try:
        return store.conn.execute(sql, (query,)).fetchall()
    except sqlite3.OperationalError:
        quoted = store.db.quote_fts(query)
        try:
            return store.conn.execute(sql, (quoted,)).fetchall()
        except sqlite3.OperationalError as exc:
            raise UsageError(f"cannot search for {query!r}: {exc}") from None


def catch_up(store: SQLiteEventStore) -> int:
    """Index what the log gained since the last search; returns the events folded."""
    conn = store.conn
    _ensure(store)
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute(
            "SELECT position FROM projection_checkpoints WHERE name = ?", (CHECKPOINT,)
        ).fetchone()
        after, head, folded = (row[0] if row else 0), store.head(), 0
        for position, event_id, type_, version, payload_json, _ in rows(store, after, head):
            if type_ not in FOLDED:
                continue
            payload = upcast(type_, version, orjson.loads(payload_json))
            folded += 1
            if type_ == "article.ingested":
                conn.execute(
                    "INSERT OR REPLACE INTO search_articles VALUES (?, ?, ?, ?)",
                    (
                        payload["article_id"],
                        payload.get("text_sha256"),
                        payload.get("title") or "",
                        json.dumps(payload.get("negotiations") or []),
                    ),
                )
            elif type_ == "article.reextracted":
                conn.execute(
                    "UPDATE search_articles SET negotiations = ? WHERE article_id = ?",
                    (json.dumps(payload.get("negotiations") or []), payload["article_id"]),
                )
            elif payload.get("evidence"):
                conn.execute(
                    "INSERT OR REPLACE INTO search_evidence VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        position,
                        event_id,
                        payload.get("article_id") or "",
                        f"{type_} {payload.get('actor')}",
                        json.dumps(payload.get("negotiations") or []),
                        " … ".join(e["text"] for e in payload["evidence"]),
                    ),
                )
        conn.execute(
            "INSERT OR REPLACE INTO projection_checkpoints (name, position, updated_at) "
            "VALUES (?, ?, datetime('now'))",
            (CHECKPOINT, head),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return folded


def _ensure(store: SQLiteEventStore) -> None:
    """The search tables and their FTS5 indexes, made by sqlite-utils on first use (it runs
    its own statements, so this is outside any transaction of ours)."""
    texts, articles, evidence = (store.db.table(n) for n in _TABLES)
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


def _flat(text: str) -> str:
    return " ".join(text.split())

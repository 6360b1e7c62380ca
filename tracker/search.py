"""Full-text search over the stored articles and the evidence of their events. The texts are
indexed where they are kept (article_texts); the evidence and which article is in which
negotiation are a read model folded from the log, like the projections, with its checkpoint
beside theirs. The index and its queries are the read-model store's (SQLite: FTS5 with the
porter stemmer; PostgreSQL: its own full-text search, tsvector and GIN indexes with the
english configuration). Retracted events are not found."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import orjson

from tracker.errors import UsageError
from tracker.events import NEGOTIATION_TYPES
from tracker.store.base import EventStore
from tracker.store.readmodels import read_models
from tracker.upcast import upcast

CHECKPOINT = "search@1"
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
    store: EventStore, query: str, negotiation: str | None = None, limit: int = 20
) -> list[Hit]:
    if not query.strip():
        raise UsageError("the search query must not be empty")
    catch_up(store)
    retracted = {e.payload["event_id"] for e in store.read_all(types=("event.retracted",))}
    tables = read_models(store)
    hits: list[Hit] = []
    for kind in ("article", "evidence"):
        for row in tables.search(kind, query):
            article_id, event_id, title, told, snippet = row
            negotiations = tuple(json.loads(told))
            if event_id in retracted or (negotiation and negotiation not in negotiations):
                continue
            hits.append(Hit(kind, article_id, negotiations, title, _flat(snippet), event_id))
    return hits[:limit]


def catch_up(store: EventStore) -> int:
    """Index what the log gained since the last search; returns the events folded."""
    tables = read_models(store)
    tables.search_ready()
    folded = 0
    with tables.write_transaction():
        after, head = tables.checkpoint(CHECKPOINT), store.head()
        for position, event_id, type_, version, payload_json, _ in tables.rows(after, head):
            if type_ not in FOLDED:
                continue
            payload = upcast(type_, version, orjson.loads(payload_json))
            folded += 1
            told = json.dumps(payload.get("negotiations") or [])
            if type_ == "article.ingested":
                title = payload.get("title") or ""
                tables.put_search_article(
                    payload["article_id"], payload.get("text_sha256"), title, told
                )
            elif type_ == "article.reextracted":
                tables.set_search_negotiations(payload["article_id"], told)
            elif payload.get("evidence"):
                tables.put_search_evidence(
                    position,
                    event_id,
                    payload.get("article_id") or "",
                    f"{type_} {payload.get('actor')}",
                    told,
                    " … ".join(e["text"] for e in payload["evidence"]),
                )
        tables.set_checkpoint(CHECKPOINT, head)
    return folded


def _flat(text: str) -> str:
    return " ".join(text.split())

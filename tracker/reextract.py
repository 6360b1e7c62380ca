"""Re-extraction as events: run the current extractor over the stored text of each article and
append the difference in the article's own stream, in one transaction per article. Events no
longer found are retracted ("superseded by extractor X"), new ones appended; nothing is edited.
Events are compared without the extractor version, so an event both versions find stays."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.article import Article
from tracker.codec import decode, encode
from tracker.errors import ConflictError
from tracker.events import (
    NEGOTIATION_TYPES,
    ArticleIngested,
    ArticleReextracted,
    EventRetracted,
)
from tracker.extract import DEFAULT, Extractor, definitions_in_use
from tracker.extractor import stamped
from tracker.projections import catch_up
from tracker.store.base import EventStore, NewEvent, StoredEvent, canonical_json
from tracker.upcast import upcast
from tracker.userdata import load_definitions

NEGOTIATION = frozenset(NEGOTIATION_TYPES)


@dataclass(frozen=True)
class Reextracted:
    article_id: str
    added: int = 0
    retracted: int = 0
    kept_corrected: int = 0  # no longer found, but an analyst corrected it: left as it is
    skipped: str = ""  # why the article was not extracted again
    negotiations: tuple[str, ...] = ()


def reextract(
    store: EventStore,
    negotiation: str | None = None,
    since: date | None = None,
    extractor: Extractor = DEFAULT,
) -> list[Reextracted]:
    """Every stored article published on or after `since` that is in `negotiation` before or
    after the run (all articles when None)."""
    with definitions_in_use(load_definitions(store)):
        results = [
            result
            for ingested in _articles(store, since)
            if (result := _one(store, ingested, extractor, negotiation)) is not None
        ]
    if any(r.added or r.retracted for r in results):
        catch_up(store)
    return results


def _articles(store: EventStore, since: date | None) -> Iterator[ArticleIngested]:
    for stored in store.read_all(types=("article.ingested",)):
        ingested = decode(stored)
        assert isinstance(ingested, ArticleIngested)
        if since is None or (ingested.published is not None and ingested.published >= since):
            yield ingested


def _one(
    store: EventStore, ingested: ArticleIngested, extractor: Extractor, wanted: str | None
) -> Reextracted | None:
    stream = f"article-{ingested.article_id}"
    history = list(store.read_stream(stream))
    before = _current_negotiations(history, ingested)
    text = store.get_text(ingested.text_sha256) if ingested.text_sha256 else None
    if text is None:
        if wanted is not None and wanted not in before:
            return None
        return Reextracted(
            ingested.article_id,
            skipped="its text was not kept (ingested by an older tracker); ingest the file "
            "again into a new store to extract it anew",
        )
    article = Article(
        id=ingested.article_id,
        url=ingested.url,
        title=ingested.title,
        published=ingested.published,
        published_approximate=ingested.published_approximate,
        source=ingested.publisher,
        negotiation=ingested.negotiation,
        text=text,
    )
    extraction = extractor.extract(article)
    if wanted is not None and wanted not in before and wanted not in extraction.negotiations:
        return None
    retracted = {e.payload["event_id"] for e in history if e.type == "event.retracted"}
    corrected = {e.payload["event_id"] for e in history if e.type == "event.corrected"}
    live = {_key(e): e for e in history if e.type in NEGOTIATION and e.event_id not in retracted}
    found = {
        _key_new(n): n for n in (encode(stamped(e, extractor.version)) for e in extraction.events)
    }
    gone = [e for k, e in live.items() if k not in found]
    superseded = [e for e in gone if e.event_id not in corrected]
    # An event retracted by an earlier run has the same id when found again: it stays retracted.
    new = [n for k, n in found.items() if k not in live and store.get(n.event_id) is None]
    result = Reextracted(
        ingested.article_id,
        added=len(new),
        retracted=len(superseded),
        kept_corrected=len(gone) - len(superseded),
        negotiations=extraction.negotiations,
    )
    if not new and not superseded and extraction.negotiations == before:
        return result
    reason = f"superseded by extractor {extractor.version}"
    record = ArticleReextracted(
        article_id=ingested.article_id,
        extractor=extractor.version,
        negotiations=extraction.negotiations,
        added=len(new),
        retracted=len(superseded),
    )
    batch = [
        encode(record),
        *(encode(EventRetracted(event_id=e.event_id, reason=reason)) for e in superseded),
        *new,
    ]
    try:
        store.append(stream, batch, expected_version=len(history))
    except ConflictError:  # another writer amended the article meanwhile: its turn next run
        return Reextracted(ingested.article_id, skipped="changed by another process; run again")
    return result


def _current_negotiations(history: list[StoredEvent], ingested: ArticleIngested) -> tuple[str, ...]:
    for stored in reversed(history):
        if stored.type == "article.reextracted":
            return tuple(stored.payload.get("negotiations") or ())
    return ingested.negotiations


def _key(stored: StoredEvent) -> str:
    return _content(stored.type, upcast(stored.type, stored.schema_version, stored.payload))


def _key_new(event: NewEvent) -> str:
    return _content(event.type, event.payload)


def _content(type_: str, payload: dict[str, Any]) -> str:
    """What an event says, whichever extractor version found it."""
    return canonical_json({"type": type_, **{k: v for k, v in payload.items() if k != "extractor"}})

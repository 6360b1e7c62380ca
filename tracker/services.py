"""Use cases: with tracker/userdata.py (definitions) and tracker/reextract.py, the only code
that appends to the store. The CLI, the feed poller and the scheduler call these; each one is
a single transaction in the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import ValidationError

from tracker.article import Article
from tracker.codec import decode, encode
from tracker.errors import ConflictError, TrackerError
from tracker.events import (
    NEGOTIATION_TYPES,
    ArticleIngested,
    EventCorrected,
    EventRetracted,
    NegotiationEvent,
)
from tracker.extractor import stamped, text_digest

if TYPE_CHECKING:
    from tracker.extract import Extractor
from tracker.projections import catch_up
from tracker.store.base import NEW_STREAM, AppendResult, EventStore, StoredEvent
from tracker.userdata import load_definitions


def article_stream(article_id: str) -> str:
    return f"article-{article_id}"


def manual_stream(negotiations: Sequence[str]) -> str:
    return f"manual-{negotiations[0] if negotiations else 'unassigned'}"


@dataclass(frozen=True)
class IngestResult:
    article_id: str
    already: bool
    events: int
    negotiations: tuple[str, ...] = ()
    same_as: str | None = None  # the stored article with the same text, under another id


def ingest_article(
    store: EventStore,
    article: Article,
    *,
    project: bool = True,
    extractor: Extractor | None = None,
) -> IngestResult:
    """Extract and store one article: ArticleIngested and its events in one transaction.
    An article already in the store, by id or by text, adds nothing, and two processes
    racing on the same id store it once. A caller ingesting many articles at once (a feed
    poll) passes project=False and catches the projections up once at the end."""
    stream = article_stream(article.id)
    if store.stream_version(stream) > 0:
        return IngestResult(article.id, already=True, events=0)
    twin = store.find_article(article.content_sha256)
    if twin is not None:
        return IngestResult(article.id, already=True, events=0, same_as=twin)
    from tracker.extract import DEFAULT, definitions_in_use  # here: `list` never loads it

    extractor = extractor or DEFAULT
    with definitions_in_use(load_definitions(store)):
        extraction = extractor.extract(article)
    text_sha256 = text_digest(article.text)
    store.put_text(text_sha256, article.text)  # before the events that name it
    ingested = ArticleIngested(
        article_id=article.id,
        url=article.url,
        title=article.title,
        published=article.published,
        published_approximate=article.published_approximate,
        publisher=article.source,
        content_sha256=article.content_sha256,
        negotiations=extraction.negotiations,
        cut_from=article.cut_from,
        text_sha256=text_sha256,
        negotiation=article.negotiation,
    )
    events = [stamped(event, extractor.version) for event in extraction.events]
    batch = [encode(ingested), *(encode(event) for event in events)]
    try:
        result = store.append(stream, batch, expected_version=NEW_STREAM)
    except ConflictError:
        return IngestResult(article.id, already=True, events=0)
    if project:
        catch_up(store)
    return IngestResult(
        article.id,
        already=result.replayed,
        events=0 if result.replayed else len(extraction.events),
        negotiations=extraction.negotiations,
    )


def add_event(store: EventStore, event: NegotiationEvent) -> AppendResult:
    """An analyst's manual event. The same event added twice is stored once."""
    stream = manual_stream(event.negotiations)
    result = store.append(stream, [encode(event)], expected_version=None)
    catch_up(store)
    return result


def retract_event(store: EventStore, event_id: str, reason: str) -> AppendResult:
    """Retract an event by appending EventRetracted to the event's own stream."""
    target = _correctable(store, event_id)
    retraction = EventRetracted(event_id=target.event_id, reason=reason)
    result = store.append(target.stream, [encode(retraction)], store.stream_version(target.stream))
    catch_up(store)
    return result


def correct_event(
    store: EventStore, event_id: str, changes: dict[str, object], reason: str
) -> AppendResult:
    """Amend an event by appending EventCorrected; the changes must still make a valid event."""
    target = _correctable(store, event_id)
    original = decode(target)
    fields = type(original).model_fields
    for name, value in changes.items():
        if name not in fields or name in ("type", "article_id"):
            raise TrackerError(f"correction is not valid: {name}: no such field to correct")
        if name == "evidence" and not value:
            raise TrackerError(
                "correction is not valid: evidence: an event keeps at least one sentence"
            )
    try:
        type(original).model_validate({**original.model_dump(), **changes})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise TrackerError(f"correction is not valid: {where}: {first['msg']}") from None
    correction = EventCorrected(event_id=target.event_id, changes=changes, reason=reason)
    result = store.append(target.stream, [encode(correction)], store.stream_version(target.stream))
    catch_up(store)
    return result


def _correctable(store: EventStore, event_id: str) -> StoredEvent:
    target = store.get(event_id)
    if target is None:
        raise TrackerError(f"no event with id {event_id!r}")
    if target.type not in NEGOTIATION_TYPES:
        raise TrackerError(
            f"event {event_id} is a {target.type} event; only negotiation "
            "events can be retracted or corrected"
        )
    for later in store.read_stream(target.stream):
        if later.type == "event.retracted" and later.payload.get("event_id") == event_id:
            raise TrackerError(f"event {event_id} is already retracted")
    return target

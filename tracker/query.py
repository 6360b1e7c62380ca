"""Reading the log for people: filter events and show them with retractions and corrections
applied (the original rows are never changed; this is a view)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.codec import decode
from tracker.events import ArticleIngested, NegotiationEvent
from tracker.store.base import EventStore, StoredEvent

AMENDMENTS = ("event.retracted", "event.corrected")


@dataclass(frozen=True)
class EventFilter:
    types: tuple[str, ...] = ()
    actor: str | None = None
    negotiation: str | None = None
    modality: str | None = None
    since: date | None = None
    until: date | None = None
    limit: int | None = None


def amendments(store: EventStore) -> tuple[set[str], dict[str, dict[str, Any]]]:
    """Retracted ids, and the merged changes of every corrected id."""
    retracted: set[str] = set()
    corrected: dict[str, dict[str, Any]] = {}
    for stored in store.read_all(types=AMENDMENTS):
        target = stored.payload["event_id"]
        if stored.type == "event.retracted":
            retracted.add(target)
        else:
            corrected.setdefault(target, {}).update(stored.payload["changes"])
    return retracted, corrected


def list_events(store: EventStore, where: EventFilter) -> Iterator[dict[str, Any]]:
    retracted, corrected = amendments(store)
    shown = 0
    types = where.types or None
    for stored in store.read_all(types=types):
        row = event_row(stored, retracted, corrected)
        if not _keep(row, where):
            continue
        yield row
        shown += 1
        if where.limit is not None and shown >= where.limit:
            return


def event_row(
    stored: StoredEvent, retracted: set[str], corrected: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    event = decode(stored)
    changes = corrected.get(stored.event_id)
    if changes:
        event = type(event).model_validate({**event.model_dump(), **changes})
    fields = event.model_dump(mode="json")
    if isinstance(event, NegotiationEvent):  # the payload leaves it out when empty
        fields["unregistered"] = list(event.unregistered)
    row: dict[str, Any] = {
        "position": stored.position,
        "id": stored.event_id,
        "stream": stored.stream,
        "version": stored.version,
        "recorded_at": stored.recorded_at,
        **fields,
        "date": _date(event),
        "state": "retracted" if stored.event_id in retracted else ("corrected" if changes else ""),
    }
    return row


def _date(event: object) -> str | None:
    if isinstance(event, NegotiationEvent):
        when = event.valid_date
        return when.isoformat() if when else None
    if isinstance(event, ArticleIngested) and event.published:
        return event.published.isoformat()
    return None


def _keep(row: dict[str, Any], where: EventFilter) -> bool:
    if where.actor and (row.get("actor") or "").casefold() != where.actor.casefold():
        return False
    if where.negotiation and where.negotiation not in (row.get("negotiations") or ()):
        return False
    if where.modality and row.get("modality") != where.modality:
        return False
    when = row.get("date")
    if where.since and (when is None or when < where.since.isoformat()):
        return False
    return not (where.until and (when is None or when > where.until.isoformat()))

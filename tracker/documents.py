"""The JSON documents of `tracker status`, `timeline` and `diff`, shared by the CLI and the
dashboard's API so that both answer with the same shape."""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.notify.detect import diff_document as change_since
from tracker.projections.brief import diff, document
from tracker.projections.status import Status
from tracker.projections.timeline import Entry
from tracker.store.base import EventStore

__all__ = ["diff_document", "status_document", "timeline_document"]

status_document = document


def timeline_document(entries: list[Entry]) -> list[dict[str, Any]]:
    return [e.model_dump(mode="json") for e in entries]


def diff_document(
    store: EventStore,
    name: str,
    since: date,
    before: Status | None,
    now: Status,
    today: date,
) -> dict[str, Any]:
    """What changed in the status of `name` since a day (the lines gone and the lines new),
    with the events known after it and their sources: the document an alert carries."""
    changed = diff(before if before is not None else Status(negotiation=name), now, today)
    return change_since(store, name, since, changed, str(now.phase))

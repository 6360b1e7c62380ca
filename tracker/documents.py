"""The JSON documents of `tracker status`, `timeline` and `diff`, shared by the CLI and the
dashboard's API so that both answer with the same shape."""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.projections.brief import diff, document
from tracker.projections.status import Status
from tracker.projections.timeline import Entry

__all__ = ["diff_document", "status_document", "timeline_document"]

status_document = document


def timeline_document(entries: list[Entry]) -> list[dict[str, Any]]:
    return [e.model_dump(mode="json") for e in entries]


def diff_document(
    name: str, since: str, before: Status | None, now: Status, today: date
) -> dict[str, Any]:
    """What changed in the status of `name` since a day: the lines gone and the lines new."""
    changed = diff(before if before is not None else Status(negotiation=name), now, today)
    return {
        "negotiation": name,
        "since": since,
        "removed": [c[2:] for c in changed if c.startswith("- ")],
        "added": [c[2:] for c in changed if c.startswith("+ ")],
    }

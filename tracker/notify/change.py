"""A change of one negotiation's status, as the JSON that alerts carry: the shape of
`tracker diff --format json` (negotiation, since, removed, added), plus the events behind the
change with their evidence, and the articles they come from. Pure: no store, no network."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from tracker.projections.brief import diff
from tracker.projections.facts import Fact
from tracker.projections.status import Status


def changed_lines(
    before: Status | None, after: Status, today: date | None = None
) -> tuple[list[str], list[str]]:
    """(removed, added) status lines; both empty when nothing a reader sees has changed."""
    lines = diff(before or Status(negotiation=after.negotiation), after, today)
    return (
        [line[2:] for line in lines if line.startswith("- ")],
        [line[2:] for line in lines if line.startswith("+ ")],
    )


def event_json(fact: Fact) -> dict[str, Any]:
    """An event as an alert shows it: what, who, how sure, the sentence, where from."""
    return {
        "position": fact.position,
        "id": fact.event_id,
        "type": fact.type,
        "actor": fact.actor,
        "target": fact.target,
        "via": list(fact.via),
        "location": fact.location,
        "modality": fact.modality,
        "condition": fact.condition,
        "attribution": fact.attribution,
        "person": fact.person,
        "terms": list(fact.terms),
        "evidence": list(fact.evidence),
        "date": _iso(fact.valid_date),
        "published": _iso(fact.published),
        "article_id": fact.article_id,
        "url": fact.source_url,
        "recorded_at": fact.recorded_at,
    }


def change_document(
    negotiation: str,
    since: str | None,
    removed: Sequence[str],
    added: Sequence[str],
    facts: Iterable[Fact],
    sources: Sequence[dict[str, Any]],
    phase: str | None = None,
) -> dict[str, Any]:
    return {
        "negotiation": negotiation,
        "since": since,
        "removed": list(removed),
        "added": list(added),
        "phase": phase,
        "events": [event_json(f) for f in facts],
        "sources": list(sources),
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None

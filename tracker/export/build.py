"""Store -> Snapshot: the projections' status and timeline, plus the articles they cite.

Nothing is computed here that tracker.projections computes: the status comes from
history.status_at, the timeline from the read model (or, for --as-of, from the same facts the
as-of status was folded from), and the next steps shown are brief.visible_steps.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from tracker.errors import TrackerError
from tracker.export.phases import phase_points
from tracker.export.snapshot import Citation, Snapshot, Source
from tracker.projections import readmodel
from tracker.projections.brief import visible_steps
from tracker.projections.history import facts_at, status_at, timeline_at
from tracker.projections.timeline import group
from tracker.store.sqlite import SQLiteEventStore


def known_negotiations(store: SQLiteEventStore) -> list[str]:
    readmodel.catch_up(store)  # fold what was appended since the last command
    return readmodel.negotiations(store)


def build_snapshot(
    store: SQLiteEventStore,
    negotiation: str,
    as_of: date | None = None,
    now: datetime | None = None,
) -> Snapshot:
    readmodel.catch_up(store)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    status = status_at(store, negotiation, as_of)
    if status is None:
        raise TrackerError(f"nothing is known about {negotiation!r}")
    # Next steps already passed on the reference day are not shown (as `tracker status` does).
    status = status.model_copy(update={"next_steps": visible_steps(status, as_of or now.date())})
    facts = facts_at(store, negotiation, as_of, None)
    timeline = timeline_at(store, negotiation) if as_of is None else group(negotiation, facts)
    citations = {
        line.event_id: Citation(article_id=line.article_id, url=line.source_url)
        for entry in timeline
        for line in entry.evidence
    }
    return Snapshot(
        negotiation=negotiation,
        as_of=as_of,
        generated_at=now,
        store_position=readmodel.checkpoint(store),
        status=status,
        timeline=timeline,
        phases=phase_points(negotiation, facts, (e.date for e in timeline if e.date)),
        sources=sources(store, {c.article_id for c in citations.values() if c.article_id}),
        citations=citations,
    )


def sources(store: SQLiteEventStore, article_ids: set[str]) -> list[Source]:
    """The ingested articles among `article_ids`, oldest first."""
    found = [
        Source(
            article_id=stored.payload["article_id"],
            title=stored.payload.get("title") or "",
            url=stored.payload.get("url"),
            source=stored.payload.get("publisher"),
            published=stored.payload.get("published"),
        )
        for stored in store.read_all(types=("article.ingested",))
        if stored.payload.get("article_id") in article_ids
    ]
    return sorted(found, key=lambda s: (s.published or date.min, s.article_id))

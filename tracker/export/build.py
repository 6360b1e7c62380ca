"""Store -> Snapshot: the projections' status and timeline, plus the articles they cite.

Nothing is computed here that tracker.projections computes: the status comes from
history.status_at, the timeline from the read model (or, for --as-of, from the same facts the
as-of status was folded from), and the next steps shown are brief.visible_steps.

`read_only=True` (the dashboard) never writes: it reads the read models when they are up to
the log's head, and folds the log itself (the same `project` and `group`) when they are not.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from pydantic import BaseModel

from tracker.defaults import RECENT
from tracker.errors import TrackerError
from tracker.export.overview import Overview, overview
from tracker.export.phases import phase_points
from tracker.export.snapshot import Citation, Snapshot, Source
from tracker.projections import readmodel
from tracker.projections.brief import visible_steps
from tracker.projections.facts import Fact
from tracker.projections.fold import project
from tracker.projections.history import facts_at, status_at, timeline_at
from tracker.projections.log import Amendments, ArticleNegotiations, read_facts
from tracker.projections.status import Line, Status, StatusView
from tracker.projections.timeline import Entry, group
from tracker.store.base import EventStore
from tracker.store.chain import GENESIS


def known_negotiations(store: EventStore, read_only: bool = False) -> list[str]:
    if not read_only:
        readmodel.catch_up(store)  # fold what was appended since the last command
    if not read_only or folded(store):
        return readmodel.negotiations(store)
    facts = read_facts(store, Amendments.load(store), ArticleNegotiations(store))
    return sorted({name for _, names in facts for name in names})


def folded(store: EventStore) -> bool:
    """Whether the read models have folded the whole log."""
    return readmodel.checkpoint(store) >= store.head()


def current_status(
    store: EventStore, negotiation: str, as_of: date | None = None, read_only: bool = False
) -> Status | None:
    if not read_only or folded(store):
        return status_at(store, negotiation, as_of)
    facts = facts_at(store, negotiation, as_of, None)
    return project(negotiation, facts) if facts else None


def build_snapshot(
    store: EventStore,
    negotiation: str,
    as_of: date | None = None,
    now: datetime | None = None,
    limit: int | None = RECENT,
    read_only: bool = False,
) -> Snapshot:
    """The snapshot, with the last `limit` timeline entries (None: the whole timeline)."""
    if not read_only:
        readmodel.catch_up(store)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    status = current_status(store, negotiation, as_of, read_only)
    if status is None:
        raise TrackerError(f"nothing is known about {negotiation!r}")
    # Next steps already passed on the reference day are not shown (as `tracker status` does).
    shown = status.view(next_steps=visible_steps(status, as_of or now.date()))
    facts = facts_at(store, negotiation, as_of, None)  # the phase band folds from the start
    timeline = _timeline(store, negotiation, as_of, limit, facts, read_only)
    cites = citations(shown, facts, timeline)
    # read-only, the read models may lag the log: the snapshot is of the log's head
    position = store.head() if read_only else readmodel.checkpoint(store)
    return Snapshot(
        negotiation=negotiation,
        as_of=as_of,
        generated_at=now,
        store_position=position,
        store_head=f"{position}:{store.hash_at(position) or GENESIS}",
        status=shown,
        timeline=timeline,
        phases=phase_points(negotiation, facts, (e.date for e in timeline if e.date)),
        sources=sources(store, {c.article_id for c in cites.values() if c.article_id}),
        citations=cites,
    )


def citations(
    status: StatusView, facts: Iterable[Fact], timeline: Iterable[Entry] = ()
) -> dict[str, Citation]:
    """Event id -> its article and URL, for every evidence line of the status and timeline.
    The status's lines may rest on events older than the timeline entries kept: their
    sources are cited too (only those, so the snapshot does not grow with all of history)."""
    cited = _cited(status)
    return {
        f.event_id: Citation(article_id=f.article_id, url=f.source_url)
        for f in facts
        if f.event_id in cited
    } | {
        line.event_id: Citation(article_id=line.article_id, url=line.source_url)
        for entry in timeline
        for line in entry.evidence
    }


def _cited(status: StatusView) -> set[str]:
    """The event ids behind every evidence line of the status."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, Line):
            found.add(value.event_id)
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(status)
    return found - {""}


def _timeline(
    store: EventStore,
    negotiation: str,
    as_of: date | None,
    limit: int | None,
    facts: list[Fact],
    read_only: bool,
) -> list[Entry]:
    """From the read model when it is current; else grouped from the as-of (or, read-only
    on a store not folded yet, the current) facts, as the read model would group them."""
    if as_of is None and (not read_only or folded(store)):
        return timeline_at(store, negotiation, limit=limit)
    entries = group(negotiation, facts)
    return entries if limit is None else entries[-limit:]


def build_overview(
    store: EventStore, today: date | None = None, read_only: bool = False
) -> list[Overview]:
    """One row per negotiation in the store, by name: what the index page and `tracker status`
    with no negotiation show."""
    day = today or datetime.now(UTC).date()
    rows = []
    for name in known_negotiations(store, read_only):
        status = current_status(store, name, None, read_only)
        if status is not None:
            rows.append(overview(status, day))
    return rows


def sources(store: EventStore, article_ids: set[str]) -> list[Source]:
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

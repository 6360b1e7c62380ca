"""History: the status and timeline as they were, in valid time (--as-of: what had happened,
or been announced, by that day) and in record time (--known-at: what the store knew then).

The current status is read from the read model; a past one is folded from the log on demand
(the read model serves an --as-of on or after the last day it has folded).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from tracker.errors import UsageError
from tracker.projections.current import load_status
from tracker.projections.status import Status
from tracker.store.base import EventStore

if TYPE_CHECKING:
    from tracker.projections.facts import Fact
    from tracker.projections.timeline import Entry

# The log readers and the fold are imported by the functions that use them: the current
# status is a read of its row (`tracker status` imports no fold).


def parse_known_at(value: str | None) -> str | None:
    """A date or date-time (UTC if no zone) -> the recorded_at string to compare with."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"--known-at must be a date or date-time (YYYY-MM-DD[THH:MM[:SS]]), got {value!r}"
        ) from None
    if len(value) == 10:  # a bare day means the end of that day
        when = when.replace(hour=23, minute=59, second=59, microsecond=999999)
    if when.tzinfo is None:
        return when.isoformat(timespec="microseconds") + "+00:00"
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def facts_at(
    store: EventStore, negotiation: str, as_of: date | None, known_at: str | None
) -> list[Fact]:
    from tracker.projections.log import Amendments, ArticleNegotiations, read_facts

    amendments = Amendments.load(store, known_at=known_at)
    articles = ArticleNegotiations(store)
    kept = []
    for fact, negotiations in read_facts(store, amendments, articles, known_at=known_at):
        if negotiation not in negotiations:
            continue
        when = fact.known_date
        if as_of is not None and when is not None and when > as_of:
            continue
        kept.append(fact)
    return kept


def status_at(
    store: EventStore,
    negotiation: str,
    as_of: date | None = None,
    known_at: str | None = None,
) -> Status | None:
    """The status of a negotiation, now or as of / known at a past moment; None if unknown."""
    current = load_status(store, negotiation)
    if known_at is None and (
        as_of is None or (current is not None and current.clock and as_of >= current.clock)
    ):
        return current
    from tracker.projections.fold import project

    facts = facts_at(store, negotiation, as_of, known_at)
    if not facts and current is None:
        return None
    return project(negotiation, facts)


def timeline_at(
    store: EventStore,
    negotiation: str,
    since: date | None = None,
    until: date | None = None,
    known_at: str | None = None,
    limit: int | None = None,
) -> list[Entry]:
    """The timeline (its last `limit` entries, the most recent, if given); from the read
    model, or for --known-at grouped in memory from what the log held then."""
    from tracker.projections.timeline import group
    from tracker.projections.timeline_table import load_timeline

    if known_at is None:
        return load_timeline(store, negotiation, since, until, limit)
    entries = [
        e
        for e in group(negotiation, facts_at(store, negotiation, None, known_at))
        if (since is None or (e.date and e.date >= since))
        and (until is None or (e.date and e.date <= until))
    ]
    return entries if limit is None else entries[-limit:]

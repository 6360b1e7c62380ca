"""The phase over time, for the band of the visual timeline: on each dated day of the
timeline, the phase that `tracker status --as-of DAY` shows. Pure: folds the facts it is given
with the projections' own fold, so the band cannot disagree with an as-of status."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from itertools import pairwise

from tracker.export.snapshot import PhasePoint
from tracker.projections.draft import Draft
from tracker.projections.facts import Fact
from tracker.projections.fold import Folder, project

# Out of date order, each day is folded on its own (days x facts); past this many days the
# band is then drawn from this many evenly spaced days (the first and the last among them).
MAX_DAYS = 80


def phase_points(negotiation: str, facts: Sequence[Fact], days: Iterable[date]) -> list[PhasePoint]:
    """The phase as of the end of each of `days` (sorted, deduplicated)."""
    wanted = sorted(set(days))
    if _in_date_order(facts):
        return _one_pass(negotiation, facts, wanted)
    points = []
    for day in _spread(wanted, MAX_DAYS):
        known = [f for f in facts if f.known_date is None or f.known_date <= day]
        points.append(PhasePoint(date=day, phase=project(negotiation, known).phase))
    return points


def _in_date_order(facts: Sequence[Fact]) -> bool:
    dates = [f.known_date for f in facts if f.known_date is not None]
    return len(dates) == len(facts) and all(a <= b for a, b in pairwise(dates))


def _one_pass(negotiation: str, facts: Sequence[Fact], days: list[date]) -> list[PhasePoint]:
    """When the log is in date order, what was known by each day is a prefix of it: one fold,
    read at each day's end, gives what `project` gives for each prefix."""
    folder = Folder(Draft(negotiation=negotiation))
    points, i = [], 0
    for day in days:
        while i < len(facts) and (facts[i].known_date or day) <= day:  # never None here
            folder.fold(facts[i])
            i += 1
        points.append(PhasePoint(date=day, phase=folder.status.phase))
    return points


def _spread(days: list[date], limit: int) -> list[date]:
    if len(days) <= limit:
        return days
    step = (len(days) - 1) / (limit - 1)
    return sorted({days[round(i * step)] for i in range(limit)})

"""The phase over time, for the band of the visual timeline: on each dated day of the
timeline, the phase that `tracker status --as-of DAY` shows. Pure: folds the facts it is given
with the projections' own `project`, so the band cannot disagree with an as-of status."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from tracker.export.snapshot import PhasePoint
from tracker.projections.facts import Fact
from tracker.projections.fold import project

# Folding once per day costs days x facts; past this many days the band is drawn from this
# many evenly spaced days (the first and the last always among them).
MAX_DAYS = 80


def phase_points(negotiation: str, facts: Sequence[Fact], days: Iterable[date]) -> list[PhasePoint]:
    """The phase as of the end of each of `days` (sorted, deduplicated)."""
    wanted = _spread(sorted(set(days)), MAX_DAYS)
    points = []
    for day in wanted:
        known = [f for f in facts if f.known_date is None or f.known_date <= day]
        points.append(PhasePoint(date=day, phase=project(negotiation, known).phase))
    return points


def _spread(days: list[date], limit: int) -> list[date]:
    if len(days) <= limit:
        return days
    step = (len(days) - 1) / (limit - 1)
    return sorted({days[round(i * step)] for i in range(limit)})

"""The phase over time, for the band of the visual timeline: on each dated day of the
timeline, the phase that `tracker status --as-of DAY` shows. Pure: folds the facts it is given
with the projections' own fold, so the band cannot disagree with an as-of status."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from tracker.export.snapshot import PhasePoint
from tracker.projections.draft import Draft
from tracker.projections.facts import Fact, by_valid_time
from tracker.projections.fold import Folder


def phase_points(negotiation: str, facts: Sequence[Fact], days: Iterable[date]) -> list[PhasePoint]:
    """The phase as of the end of each of `days` (sorted, deduplicated), in one fold.

    The fold runs in valid time (facts.fold_key, which starts with each fact's known_date),
    whatever order the log holds the facts in; what was known by a day (known_date on or
    before it, or undated, which sorts first) is therefore a prefix of that order, and the
    fold read at each day's end is what `project` gives for the facts known by then."""
    ordered = by_valid_time(facts)
    folder = Folder(Draft(negotiation=negotiation))
    points, i = [], 0
    for day in sorted(set(days)):
        while i < len(ordered) and (ordered[i].known_date or date.min) <= day:
            folder.fold(ordered[i])
            i += 1
        points.append(PhasePoint(date=day, phase=folder.status.phase))
    return points

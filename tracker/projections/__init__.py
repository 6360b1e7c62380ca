"""Projections: the deal status, the timeline, history and what changed.

Domain (no SQLite): facts.py (what is folded), status.py (the models), rules.py (THE rules
table and the fold), timeline.py (grouping reports of one happening), brief.py (the status
in words, diff, JSON). Adapters: readmodel.py (SQLite tables, checkpoint, catch-up, rebuild)
and history.py (as-of and known-at views).
"""

from __future__ import annotations

from tracker.store.sqlite import SQLiteEventStore


def catch_up(store: SQLiteEventStore) -> int:
    """Fold the events appended since the last catch-up into the read models."""
    from tracker.projections.readmodel import catch_up as run

    return run(store)


__all__ = ["catch_up"]

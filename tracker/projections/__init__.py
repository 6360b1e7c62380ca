"""Projections: the deal status, the timeline, history and what changed.

Domain (no SQLite): facts.py (what is folded), status.py (the models), draft.py (the same as
plain objects while folding), rules.py (THE rules table), effects.py (what each row does),
book.py (the draft, indexed), fold.py (the fold), words.py (events in words), timeline.py
(grouping reports of one happening), brief.py (the status in words, diff, JSON).

Adapters: log.py (reading the log), current.py (the read models as they stand: checkpoint,
stored status), readmodel.py (catch-up, rebuild, the status table), timeline_table.py (the
timeline table) and history.py (as-of and known-at views), all through the read-model store
(tracker/store/readmodels.py: one implementation per backend).
"""

from __future__ import annotations

import logging

from tracker.store.base import EventStore

log = logging.getLogger(__name__)


def catch_up(store: EventStore) -> int:
    """Fold the events appended since the last catch-up into the read models; the services
    call this after each append. The append has committed by then, so a failure here must
    not undo it: it is logged, and the next catch-up (any status command) folds again."""
    from tracker.projections import current
    from tracker.store.readmodels import has_read_models

    if not has_read_models(store):
        return 0  # the in-memory recorder of the tests keeps no read models
    try:
        if current.up_to_date(store):
            return 0  # a poll that found nothing new: the fold is not even imported
        from tracker.projections import readmodel

        return readmodel.catch_up(store)
    except Exception as exc:
        log.warning("projections not updated (%s); `tracker rebuild` will redo them", exc)
        return 0


__all__ = ["catch_up"]

"""The read models as they stand: their checkpoint, the negotiations they hold, a stored
status. Reading them needs none of the fold, so `tracker status` on a store with nothing
new to fold imports none of it (tracker/projections/readmodel.py folds and re-exports these).
"""

from __future__ import annotations

from tracker.projections.status import Status
from tracker.store.base import EventStore
from tracker.store.readmodels import read_models

# Bump when the rules or the read-model shapes change: a store folded by an older version
# is then rebuilt on its next catch-up instead of mixing two versions of the rules.
VERSION = 6
PREFIX = "status@"
CHECKPOINT = f"{PREFIX}{VERSION}"


def checkpoint(store: EventStore) -> int:
    return read_models(store).checkpoint(CHECKPOINT)


def up_to_date(store: EventStore) -> bool:
    """True when a catch-up would fold nothing and clear nothing: every event is folded, by
    this version of the rules alone."""
    tables = read_models(store)
    return checkpoint(store) >= store.head() and not tables.other_versions(PREFIX, CHECKPOINT)


def load_status(store: EventStore, negotiation: str) -> Status | None:
    row = read_models(store).status(negotiation)
    return Status.model_validate_json(row[0]) if row else None


def negotiations(store: EventStore) -> list[str]:
    return read_models(store).negotiations()

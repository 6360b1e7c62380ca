"""Between domain events and stored records: deterministic ids, JSON payloads, upcasting."""

from __future__ import annotations

import hashlib

from tracker.errors import StoreError
from tracker.events import EVENT_CLASSES, DomainEvent
from tracker.store.base import NewEvent, StoredEvent, canonical_json
from tracker.upcast import upcast


def event_id(event: DomainEvent) -> str:
    """Same content, same id: this is what makes appends idempotent."""
    body = canonical_json(event.model_dump(mode="json"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]


def encode(event: DomainEvent) -> NewEvent:
    payload = event.model_dump(mode="json", exclude={"type"})
    return NewEvent(event_id(event), event.type, event.schema_version, payload)


def decode(stored: StoredEvent) -> DomainEvent:
    cls = EVENT_CLASSES.get(stored.type)
    if cls is None:
        raise StoreError(f"event at position {stored.position} has unknown type {stored.type!r}")
    payload = upcast(stored.type, stored.schema_version, stored.payload)
    return cls.model_validate({**payload, "type": stored.type})

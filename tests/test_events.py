"""Event models: validated, frozen, versioned; old payloads upcast; schemas kept current."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tracker.catalog import load_catalog
from tracker.codec import decode, encode
from tracker.events import (
    EVENT_CLASSES,
    NEGOTIATION_TYPES,
    Evidence,
    Modality,
    ProposalMade,
    ThreatIssued,
)
from tracker.schema import stale
from tracker.store import SQLiteEventStore

SENTENCE = "Israel initiated the latest ceasefire talks by proposing a hostage release deal."


def test_models_are_frozen_and_validated() -> None:
    event = ProposalMade(actor="Israel", target="Hamas", via=("Egypt",))
    with pytest.raises(ValidationError):
        event.actor = "Hamas"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        ProposalMade(actor="Israel", modality="rumoured")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        ProposalMade(actor="Israel", confidence=1.5)
    with pytest.raises(ValidationError):
        ProposalMade(actor="Israel", mood="hopeful")  # type: ignore[call-arg]


def test_catalog_lists_every_type_with_its_codes() -> None:
    catalog = load_catalog()
    assert set(catalog) == set(EVENT_CLASSES)
    for type_ in NEGOTIATION_TYPES:
        entry = catalog[type_]
        assert entry["description"] and entry["plover"] and entry["cameo"] and entry["status"]


def test_a_v1_payload_written_by_hand_is_upcast_on_read(store: SQLiteEventStore) -> None:
    # What an older release stored: one `via` string, one evidence object, schema_version 1.
    from tracker.store import NewEvent

    v1 = {
        "actor": "Israel",
        "target": "Hamas",
        "via": "Egypt",
        "modality": "conditional",
        "condition": "Hamas rejects the proposal",
        "evidence": {"text": SENTENCE, "start": 0, "end": len(SENTENCE)},
    }
    store.append("legacy", [NewEvent("old-1", "threat.issued", 1, v1)], None)
    stored = store.get("old-1")
    assert stored is not None
    event = decode(stored)
    assert isinstance(event, ThreatIssued)
    assert event.via == ("Egypt",)
    assert event.evidence == (Evidence(text=SENTENCE, start=0, end=len(SENTENCE)),)
    assert event.modality is Modality.CONDITIONAL


def test_current_events_round_trip_through_the_store(store: SQLiteEventStore) -> None:
    event = ProposalMade(actor="Israel", target="Hamas", via=("Egypt",), negotiations=("g",))
    store.append("s", [encode(event)], None)
    stored = store.get(encode(event).event_id)
    assert stored is not None and decode(stored) == event


def test_json_schemas_in_events_schema_are_current() -> None:
    assert stale() == [], "run `tracker schema` and commit events/schema/"

"""What an alert announces is the batch as amended: an event retracted in the same poll (or
by an amendment that arrived before it) was never a change, and is not in the alert."""

from __future__ import annotations

from tracker.codec import event_id
from tracker.events import Evidence, NegotiationEvent, ProposalMade, ProposalRejected
from tracker.notify.detect import changes, look
from tracker.services import add_event, retract_event
from tracker.store import SQLiteEventStore

NEGOTIATION = "harbour-talks"


def said(kind: type[NegotiationEvent], actor: str, target: str, text: str, day: str):
    evidence = (Evidence(text=text, start=0, end=len(text)),)
    return kind(
        actor=actor, target=target, evidence=evidence, negotiations=(NEGOTIATION,), occurred=day
    )


def test_an_event_retracted_in_the_same_batch_is_not_announced(store: SQLiteEventStore) -> None:
    add_event(
        store, said(ProposalMade, "Norland", "Vestria", "Norland proposed a deal.", "2025-03-03")
    )
    before = look(store)
    rejection = said(ProposalRejected, "Vestria", "Norland", "Vestria rejected it.", "2025-03-04")
    add_event(store, rejection)
    retract_event(store, event_id(rejection), "the wire withdrew the story")
    assert changes(store, before) == []  # the status reads as before: nothing to announce

    add_event(
        store, said(ProposalMade, "Vestria", "Norland", "Vestria proposed one.", "2025-03-05")
    )
    [alert] = changes(store, before)
    assert [e["type"] for e in alert["events"]] == ["proposal.made"]
    assert all(e["id"] != event_id(rejection) for e in alert["events"])
    assert not any("rejected" in line for line in alert["added"])

"""What an alert announces is the batch as amended: an event retracted in the same poll (or
by an amendment that arrived before it) was never a change, and is not in the alert."""

from __future__ import annotations

from tracker.codec import event_id
from tracker.events import Evidence, ProposalMade, ProposalRejected
from tracker.notify.detect import changes, look
from tracker.services import add_event, retract_event
from tracker.store import SQLiteEventStore

NEGOTIATION = "harbour-talks"


def told(text: str) -> tuple[Evidence, ...]:
    return (Evidence(text=text, start=0, end=len(text)),)


def test_an_event_retracted_in_the_same_batch_is_not_announced(store: SQLiteEventStore) -> None:
    proposal = ProposalMade(
        actor="Norland",
        target="Vestria",
        evidence=told("Norland proposed a deal."),
        negotiations=(NEGOTIATION,),
        occurred="2025-03-03",
    )
    add_event(store, proposal)
    before = look(store)
    rejection = ProposalRejected(
        actor="Vestria",
        target="Norland",
        evidence=told("Vestria rejected it, a wire said."),
        negotiations=(NEGOTIATION,),
        occurred="2025-03-04",
    )
    add_event(store, rejection)
    retract_event(store, event_id(rejection), "the wire withdrew the story")
    assert changes(store, before) == []  # the status reads as before: nothing to announce

    made = ProposalMade(
        actor="Vestria",
        target="Norland",
        evidence=told("Vestria proposed a deal of its own."),
        negotiations=(NEGOTIATION,),
        occurred="2025-03-05",
    )
    add_event(store, made)
    [alert] = changes(store, before)
    assert [e["type"] for e in alert["events"]] == ["proposal.made"]
    assert all(e["id"] != event_id(rejection) for e in alert["events"])
    assert not any("rejected" in line for line in alert["added"])

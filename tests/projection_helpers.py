"""Hand-built events for the projection tests: the seed article's events, and a helper to
make more (text written for these tests)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.events import EVENT_CLASSES, Evidence, NegotiationEvent, Term
from tracker.projections.facts import Fact, from_event

NEGOTIATION = "gaza-ceasefire"
SEED_ID = "000_46a520fc1d27543f"
SEED_DAY = date(2024, 4, 30)


def event(type_: str, actor: str, sentence: str = "", **fields: Any) -> NegotiationEvent:
    # `objects`: what a position, appeal, demand or threat is about (terms of kind "object")
    terms = tuple(Term(text=t) for t in fields.pop("terms", ())) + tuple(
        Term(text=t, kind="object") for t in fields.pop("objects", ())
    )
    text = sentence or f"{actor} {type_}."
    cls = EVENT_CLASSES[type_]
    built = cls.model_validate(
        {
            "type": type_,
            "actor": actor,
            "terms": terms,
            "evidence": (Evidence(text=text, start=0, end=len(text)),),
            "negotiations": (fields.pop("negotiation", NEGOTIATION),),
            **fields,
        }
    )
    assert isinstance(built, NegotiationEvent)
    return built


def facts(events: list[NegotiationEvent], start: int = 1) -> list[Fact]:
    return [
        from_event(e, position=i, event_id=f"e{i:031d}", recorded_at="2024-05-01T00:00:00+00:00")
        for i, e in enumerate(events, start=start)
    ]


def seed_events() -> list[NegotiationEvent]:
    """What the extraction is to store for the seed article (see the issue), in text order."""
    on = {"article_id": SEED_ID, "published": SEED_DAY}
    return [
        event(
            "appeal.made",
            "United States",
            "Antony Blinken, has called on Hamas to accept a new ceasefire agreement",
            target="Hamas",
            person="Antony Blinken",
            objects=["accept the ceasefire agreement"],
            **on,
        ),
        event(
            "proposal.rejected",
            "Hamas",
            "the militant organization will likely refuse the proposal",
            target="Israel",
            modality="predicted",
            **on,
        ),
        event(
            "proposal.made",
            "Israel",
            "Israel initiated the latest ceasefire talks by proposing a hostage release deal "
            "through Egyptian officials",
            target="Hamas",
            via=("Egypt",),
            terms=[
                "over 30 hostages over the next few weeks",
                "Palestinian captives in return",
            ],
            **on,
        ),
        event(
            "proposal.under_review",
            "Hamas",
            "Hamas hasn't outright objected to the ceasefire proposal",
            target="Israel",
            **on,
        ),
        event(
            "talks.scheduled",
            "Hamas",
            "a delegation from the militant organization should arrive in Cairo, Egypt",
            location="Cairo",
            modality="planned",
            **on,
        ),
        event(
            "threat.issued",
            "Israel",
            "should Hamas reject the proposal, Israel's military would invade Rafah",
            target="Hamas",
            location="Rafah",
            objects=["invade Rafah"],
            modality="conditional",
            condition="Hamas rejects the proposal",
            **on,
        ),
        event(
            "support.expressed",
            "United States",
            "the Biden administration has expressed support for Israel and the latest "
            "ceasefire agreement",
            objects=["the ceasefire agreement"],
            **on,
        ),
        event(
            "opposition.expressed",
            "United States",
            "President Biden does not support Israel's planned invasion of Rafah",
            target="Israel",
            objects=["the invasion of Rafah"],
            **on,
        ),
    ]

"""The status while it is being folded: slotted dataclasses with the fields of the pydantic
models in status.py. A rebuild folds a million events, and building and changing pydantic
models per event cost most of it; the fold works on these plain objects and the Status is
validated once, at the edge, when it is stored or shown (`to_status`). `from_status` turns
a stored Status back into a draft, to fold on from where it was. A field added to a model
must be added here too: tests/test_projections_draft.py fails until it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from tracker.projections.status import Change, Phase, Status


@dataclass(slots=True)
class Line:
    text: str
    source: str
    date: dt.date | None = None
    event_id: str = ""


@dataclass(slots=True)
class Response:
    party: str
    response: str = "no_response"
    date: dt.date | None = None
    evidence: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class Proposal:
    id: str
    proposer: str
    kind: str = "proposal"
    via: list[str] = field(default_factory=list)
    addressed: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    answers: str | None = None
    date: dt.date | None = None
    inferred: bool = False
    responses: dict[str, Response] = field(default_factory=dict)
    evidence: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class Demand:
    actor: str
    demand: str
    target: str | None = None
    modality: str = "asserted"
    condition: str | None = None
    date: dt.date | None = None
    evidence: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class Threat:
    actor: str
    action: str
    target: str | None = None
    location: str | None = None
    condition: str | None = None
    modality: str = "asserted"
    status: str = "active"
    closed_by: str | None = None
    date: dt.date | None = None
    evidence: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class NextStep:
    type: str
    what: str
    actor: str
    target: str | None = None
    via: list[str] = field(default_factory=list)
    location: str | None = None
    when: dt.date | None = None
    modality: str = "planned"
    reported: dt.date | None = None
    evidence: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class Position:
    actor: str
    polarity: str
    object: str
    target: str | None = None
    person: str | None = None
    date: dt.date | None = None
    evidence: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class Expectation:
    type: str
    what: str
    actor: str
    target: str | None = None
    modality: str = "predicted"
    condition: str | None = None
    attribution: str | None = None
    date: dt.date | None = None
    evidence: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class Milestone:
    what: str
    actor: str
    date: dt.date | None = None
    evidence: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class Agreement:
    parties: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    date: dt.date | None = None
    evidence: list[Line] = field(default_factory=list)
    implemented: list[Milestone] = field(default_factory=list)
    breaches: list[Milestone] = field(default_factory=list)


@dataclass(slots=True)
class Sources:
    articles: int = 0
    latest: dt.date | None = None


@dataclass(slots=True)
class Draft:
    """A Status being folded (same fields)."""

    negotiation: str
    phase: Phase = Phase.NO_TALKS
    proposals: list[Proposal] = field(default_factory=list)
    agreement: Agreement | None = None
    demands: list[Demand] = field(default_factory=list)
    threats: list[Threat] = field(default_factory=list)
    next_steps: list[NextStep] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    expectations: list[Expectation] = field(default_factory=list)
    last_change: Change | None = None
    sources: Sources = field(default_factory=Sources)
    events: int = 0
    position: int = 0
    clock: dt.date | None = None
    articles_seen: list[str] = field(default_factory=list)

    @property
    def open_threats(self) -> list[Threat]:
        return [t for t in self.threats if t.status == "active"]

    @property
    def current_proposal(self) -> Proposal | None:
        return self.proposals[-1] if self.proposals else None


def to_status(draft: Draft) -> Status:
    """The validated Status of a draft (a copy: folding on does not change it). Read from
    the draft's attributes by pydantic itself, three times faster than through asdict (a
    rebuild stores a snapshot every SNAPSHOT_EVERY facts, and a status grows with history)."""
    return Status.model_validate(draft, from_attributes=True)


def from_status(status: Status) -> Draft:
    data = status.model_dump()
    agreement = data["agreement"]
    return Draft(
        negotiation=data["negotiation"],
        phase=Phase(data["phase"]),
        proposals=[_proposal(p) for p in data["proposals"]],
        agreement=None if agreement is None else _agreement(agreement),
        demands=[Demand(**_lined(d)) for d in data["demands"]],
        threats=[Threat(**_lined(t)) for t in data["threats"]],
        next_steps=[NextStep(**_lined(s)) for s in data["next_steps"]],
        positions=[Position(**_lined(p)) for p in data["positions"]],
        expectations=[Expectation(**_lined(e)) for e in data["expectations"]],
        last_change=status.last_change,
        sources=Sources(**data["sources"]),
        events=data["events"],
        position=data["position"],
        clock=data["clock"],
        articles_seen=list(data.get("articles_seen") or ()),
    )


def _lined(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "evidence": [Line(**line) for line in item["evidence"]]}


def _proposal(data: dict[str, Any]) -> Proposal:
    responses = {party: Response(**_lined(r)) for party, r in data["responses"].items()}
    return Proposal(**{**_lined(data), "responses": responses})


def _agreement(data: dict[str, Any]) -> Agreement:
    return Agreement(
        **{
            **_lined(data),
            "implemented": [Milestone(**_lined(m)) for m in data["implemented"]],
            "breaches": [Milestone(**_lined(m)) for m in data["breaches"]],
        }
    )

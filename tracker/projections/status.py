"""The deal status of one negotiation, as pydantic models.

One name for each thing, in every output (the JSON of `tracker status`, the dashboard's API,
the export snapshot, the brief, Markdown, HTML): `proposals` (the last is the one on the
table), `threats` (each with its `status`; open = "active"), `next_steps`, `positions`,
`expectations`. StatusView is what every output shows; Status adds the fold's bookkeeping,
which the read models store and no output carries; StatusDocument is `tracker status --json`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field


class Phase(StrEnum):
    NO_TALKS = "no_talks"
    PROPOSAL_PENDING = "proposal_pending"
    NEGOTIATING = "negotiating"
    AGREEMENT_REACHED = "agreement_reached"
    IMPLEMENTING = "implementing"
    STALLED = "stalled"
    COLLAPSED = "collapsed"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Line(Model):
    """One evidence line: the sentence, the source it came from and its date."""

    text: str
    source: str
    date: dt.date | None = None
    event_id: str = ""


class Response(Model):
    party: str
    # accepted | rejected | countered | under_review | responded | no_response
    response: str = "no_response"
    date: dt.date | None = None
    evidence: list[Line] = Field(default_factory=list)


class Proposal(Model):
    id: str
    kind: str = "proposal"  # or "counter-proposal"
    proposer: str
    via: list[str] = Field(default_factory=list)
    addressed: list[str] = Field(default_factory=list)
    terms: list[str] = Field(default_factory=list)
    answers: str | None = None  # id of the proposal a counter-proposal answers
    date: dt.date | None = None
    inferred: bool = False  # known only from a response to it, not yet reported itself
    responses: dict[str, Response] = Field(default_factory=dict)
    evidence: list[Line] = Field(default_factory=list)


class Demand(Model):
    actor: str
    demand: str
    target: str | None = None
    modality: str = "asserted"
    condition: str | None = None
    date: dt.date | None = None
    evidence: list[Line] = Field(default_factory=list)


class Threat(Model):
    actor: str
    action: str
    target: str | None = None
    location: str | None = None
    condition: str | None = None
    modality: str = "asserted"
    status: str = "active"  # active | carried_out | closed
    closed_by: str | None = None
    date: dt.date | None = None
    evidence: list[Line] = Field(default_factory=list)


class NextStep(Model):
    type: str
    what: str
    actor: str
    target: str | None = None
    via: list[str] = Field(default_factory=list)
    location: str | None = None
    when: dt.date | None = None  # when it is due, if known
    modality: str = "planned"
    reported: dt.date | None = None
    evidence: list[Line] = Field(default_factory=list)


class Position(Model):
    actor: str
    polarity: str  # support | oppose | appeal
    object: str
    target: str | None = None
    person: str | None = None
    date: dt.date | None = None
    evidence: list[Line] = Field(default_factory=list)


class Expectation(Model):
    type: str
    what: str
    actor: str
    target: str | None = None
    modality: str = "predicted"
    condition: str | None = None
    attribution: str | None = None
    date: dt.date | None = None
    evidence: list[Line] = Field(default_factory=list)


class Milestone(Model):
    what: str
    actor: str
    date: dt.date | None = None
    evidence: list[Line] = Field(default_factory=list)


class Agreement(Model):
    parties: list[str] = Field(default_factory=list)
    terms: list[str] = Field(default_factory=list)
    date: dt.date | None = None
    evidence: list[Line] = Field(default_factory=list)
    implemented: list[Milestone] = Field(default_factory=list)
    breaches: list[Milestone] = Field(default_factory=list)


class Change(Model):
    type: str
    summary: str
    modality: str
    date: dt.date | None = None
    source: str
    source_url: str | None = None
    evidence: str | None = None
    event_id: str
    position: int


class Sources(Model):
    articles: int = 0
    latest: dt.date | None = None


class StatusView(Model):
    """The status as every output shows it (events/schema/status.json, snapshot.json)."""

    negotiation: str
    phase: Phase = Phase.NO_TALKS
    proposals: list[Proposal] = Field(default_factory=list)
    agreement: Agreement | None = None
    demands: list[Demand] = Field(default_factory=list)
    threats: list[Threat] = Field(default_factory=list)
    next_steps: list[NextStep] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    expectations: list[Expectation] = Field(default_factory=list)
    last_change: Change | None = None
    sources: Sources = Field(default_factory=Sources)
    events: int = 0
    position: int = 0  # the last log position folded into this status

    @property
    def open_threats(self) -> list[Threat]:
        return [t for t in self.threats if t.status == "active"]

    @property
    def current_proposal(self) -> Proposal | None:
        return self.proposals[-1] if self.proposals else None


class Status(StatusView):
    """The status as the fold keeps it: the view plus its bookkeeping (part of the read
    model, so rebuilt == incremental holds for it)."""

    clock: dt.date | None = None  # the latest Fact.known_date folded: steps due before it passed
    # the articles folded so far: one article's events fall on several days, so counting
    # changes of article in valid-time order would count it more than once
    articles_seen: list[str] = Field(default_factory=list)

    def view(self, **changes: object) -> StatusView:
        """What outputs show of it (with `changes`, e.g. only the next steps still due)."""
        return StatusView.model_validate(self.model_dump(exclude=BOOKKEEPING) | changes)


BOOKKEEPING = set(Status.model_fields) - set(StatusView.model_fields)


class StatusDocument(StatusView):
    """The JSON of `tracker status` and of the dashboard's /api/status."""

    model_config = ConfigDict(title="tracker status")

    as_of: dt.date | None = Field(
        default=None, description="Valid-time cut: what had happened by this day."
    )
    known_at: str | None = Field(
        default=None, description="Record-time cut: what the store knew then (UTC)."
    )


class Due(Protocol):
    """A next step, as shown here or as the fold keeps it (tracker/projections/draft.py)."""

    @property
    def when(self) -> dt.date | None: ...


def passed(step: Due, today: dt.date) -> bool:
    """A step whose day is more than a day gone: no longer a next step."""
    return step.when is not None and step.when < today - dt.timedelta(days=1)

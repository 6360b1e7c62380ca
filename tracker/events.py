"""The domain events: every fact the tracker stores, as small immutable models.

Negotiation events follow the taxonomy of DESIGN.md (one class per type, all sharing the
fields of `NegotiationEvent`). System events record what the tracker itself did: an article
was ingested, an event was retracted or corrected. Nothing here knows about SQLite or the CLI.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field


class Modality(StrEnum):
    """How the article presents the event: the heart of trust (see DESIGN.md)."""

    ASSERTED = "asserted"
    PLANNED = "planned"
    PREDICTED = "predicted"
    CONDITIONAL = "conditional"
    NEGATED = "negated"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Evidence(Frozen):
    """A verbatim sentence of the article and its character span [start, end)."""

    text: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Term(Frozen):
    """One term of a proposal or agreement: "over 30 hostages", "six weeks", "phase one"."""

    text: str = Field(min_length=1)
    kind: str = "other"
    quantity: float | None = None
    qualifier: str | None = None
    unit: str | None = None


class DomainEvent(Frozen):
    """Base of every stored event. `schema_version` is bumped when the payload shape changes;
    tracker/upcast.py turns older payloads into the current shape on read."""

    schema_version: ClassVar[int] = 1
    type: str


class NegotiationEvent(DomainEvent):
    """Something a party did, plans, threatens or is predicted to do, with its evidence."""

    schema_version: ClassVar[int] = 2  # v1 had a single `via` string and a single `evidence`

    actor: str = Field(min_length=1)
    person: str | None = None  # "Antony Blinken" beside actor "United States"
    target: str | None = None
    via: tuple[str, ...] = ()
    location: str | None = None
    modality: Modality = Modality.ASSERTED
    condition: str | None = None
    attribution: str | None = None
    terms: tuple[Term, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    negotiations: tuple[str, ...] = ()
    article_id: str | None = None
    published: date | None = None
    occurred: date | None = None  # when the thing itself happened or is due, if known
    source_url: str | None = None
    extractor: str | None = None  # the extractor version that found it; None: by hand
    # Parties named here (actor, target, via) that the actor registry lacks, kept as written.
    # Left out of the payload when empty, so events without any keep their ids.
    unregistered: tuple[str, ...] = Field(default=(), exclude_if=lambda names: not names)

    @property
    def valid_date(self) -> date | None:
        """The date the event belongs to in valid time: when it happened, else when reported."""
        return self.occurred or self.published


class ProposalMade(NegotiationEvent):
    type: Literal["proposal.made"] = "proposal.made"


class ProposalCountered(NegotiationEvent):
    type: Literal["proposal.countered"] = "proposal.countered"


class ProposalAccepted(NegotiationEvent):
    type: Literal["proposal.accepted"] = "proposal.accepted"


class ProposalRejected(NegotiationEvent):
    type: Literal["proposal.rejected"] = "proposal.rejected"


class ProposalUnderReview(NegotiationEvent):
    type: Literal["proposal.under_review"] = "proposal.under_review"


class ResponseDelivered(NegotiationEvent):
    type: Literal["response.delivered"] = "response.delivered"


class TalksScheduled(NegotiationEvent):
    type: Literal["talks.scheduled"] = "talks.scheduled"


class TalksHeld(NegotiationEvent):
    type: Literal["talks.held"] = "talks.held"


class TalksEnded(NegotiationEvent):
    type: Literal["talks.ended"] = "talks.ended"


class AgreementReached(NegotiationEvent):
    type: Literal["agreement.reached"] = "agreement.reached"


class AgreementImplemented(NegotiationEvent):
    type: Literal["agreement.implemented"] = "agreement.implemented"


class AgreementViolated(NegotiationEvent):
    type: Literal["agreement.violated"] = "agreement.violated"


class DemandMade(NegotiationEvent):
    type: Literal["demand.made"] = "demand.made"


class AppealMade(NegotiationEvent):
    type: Literal["appeal.made"] = "appeal.made"


class ThreatIssued(NegotiationEvent):
    type: Literal["threat.issued"] = "threat.issued"


class MilitaryAction(NegotiationEvent):
    type: Literal["military.action"] = "military.action"


class SupportExpressed(NegotiationEvent):
    type: Literal["support.expressed"] = "support.expressed"


class OppositionExpressed(NegotiationEvent):
    type: Literal["opposition.expressed"] = "opposition.expressed"


# --- system events -------------------------------------------------------------------------


class ArticleIngested(DomainEvent):
    """An article entered the store; its extracted events follow in the same transaction."""

    type: Literal["article.ingested"] = "article.ingested"
    article_id: str = Field(min_length=1)
    url: str | None = None
    title: str = ""
    published: date | None = None
    published_approximate: bool = False
    publisher: str | None = None  # the outlet; not `source`, which readers take for a link
    content_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    negotiations: tuple[str, ...] = ()
    cut_from: int | None = None  # the text was longer than this and cut (tracker.article)
    # The exact text, kept in article_texts under its sha256 (None: ingested before texts
    # were kept), and the negotiation it was assigned to (--negotiation, .meta.json, a feed's),
    # so that `tracker reextract` can run the extractor again on what was ingested.
    text_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    negotiation: str | None = None


class EventRetracted(DomainEvent):
    """An earlier event is withdrawn: projections drop it. The original stays in the log."""

    type: Literal["event.retracted"] = "event.retracted"
    event_id: str = Field(min_length=1)
    reason: str = Field(min_length=1)


class EventCorrected(DomainEvent):
    """An earlier event is amended: projections read it with `changes` applied."""

    type: Literal["event.corrected"] = "event.corrected"
    event_id: str = Field(min_length=1)
    changes: dict[str, Any] = Field(min_length=1)
    reason: str = Field(min_length=1)


class FeedSubscribed(DomainEvent):
    """A feed joins the polling list (again, after a removal or a 410, it resumes)."""

    type: Literal["feed.subscribed"] = "feed.subscribed"
    feed_id: str = Field(min_length=1)
    url: str = Field(min_length=1)  # http(s) URL, or an absolute path given on the command line
    negotiation: str | None = None
    every_s: int = Field(ge=1)
    full_text: bool = False
    trust_links: bool = False  # its entries' links may reach loopback and private addresses
    at: datetime


class FeedEntry(Frozen):
    """One new entry of a poll: the article it became and every key it is known by."""

    article_id: str = Field(min_length=1)
    keys: tuple[str, ...] = Field(min_length=1)  # guid:..., link:..., sha256:...


class FeedPolled(DomainEvent):
    """A poll that changed something: new entries, new validators, a new URL, or recovery.
    An unchanged feed (304) appends nothing: that would fill the log with no history."""

    type: Literal["feed.polled"] = "feed.polled"
    feed_id: str = Field(min_length=1)
    url: str = Field(min_length=1)  # after a permanent redirect, the new URL
    moved_from: str | None = None
    status: int
    etag: str | None = None
    last_modified: str | None = None
    found: int = Field(ge=0)  # entries in the document
    entries: tuple[FeedEntry, ...] = ()
    warning: str | None = None  # a bozo feed read anyway, text truncated, ...
    at: datetime


class FeedFailed(DomainEvent):
    """A poll that failed. `failures` counts in a row; no poll before `retry_at`."""

    type: Literal["feed.failed"] = "feed.failed"
    feed_id: str = Field(min_length=1)
    url: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    status: int | None = None
    failures: int = Field(ge=1)
    retry_at: datetime | None = None
    gone: bool = False  # 410: never polled again unless subscribed anew
    at: datetime


class FeedRemoved(DomainEvent):
    """A feed leaves the polling list. Its articles and the entries it has seen stay."""

    type: Literal["feed.removed"] = "feed.removed"
    feed_id: str = Field(min_length=1)
    url: str = Field(min_length=1)
    at: datetime


class ArticleReextracted(DomainEvent):
    """The extractor ran again over a stored article; the retractions and new events of the
    difference follow in the same transaction."""

    type: Literal["article.reextracted"] = "article.reextracted"
    article_id: str = Field(min_length=1)
    extractor: str = Field(min_length=1)
    negotiations: tuple[str, ...] = ()
    added: int = Field(ge=0)
    retracted: int = Field(ge=0)


class NegotiationDefined(DomainEvent):
    """A user's negotiation, or more of one (a seed's too): a later definition of the same id
    replaces the title and extends the lists (tracker/definitions.py folds them)."""

    type: Literal["negotiation.defined"] = "negotiation.defined"
    negotiation_id: str = Field(min_length=1)
    title: str = ""
    parties: tuple[str, ...] = ()
    mediators: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


class ActorDefined(DomainEvent):
    """A user's actor, or more aliases of one: read by the extractor after the seeds."""

    type: Literal["actor.defined"] = "actor.defined"
    name: str = Field(min_length=1)
    kind: Literal["state", "organisation", "person"] = "organisation"
    speaks_for: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()


NEGOTIATION_EVENT_CLASSES: tuple[type[NegotiationEvent], ...] = (
    ProposalMade,
    ProposalCountered,
    ProposalAccepted,
    ProposalRejected,
    ProposalUnderReview,
    ResponseDelivered,
    TalksScheduled,
    TalksHeld,
    TalksEnded,
    AgreementReached,
    AgreementImplemented,
    AgreementViolated,
    DemandMade,
    AppealMade,
    ThreatIssued,
    MilitaryAction,
    SupportExpressed,
    OppositionExpressed,
)
SYSTEM_EVENT_CLASSES: tuple[type[DomainEvent], ...] = (
    ArticleIngested,
    EventRetracted,
    EventCorrected,
    FeedSubscribed,
    FeedPolled,
    FeedFailed,
    FeedRemoved,
    ArticleReextracted,
    NegotiationDefined,
    ActorDefined,
)
EVENT_CLASSES: dict[str, type[DomainEvent]] = {
    cls.model_fields["type"].default: cls
    for cls in (*NEGOTIATION_EVENT_CLASSES, *SYSTEM_EVENT_CLASSES)
}
NEGOTIATION_CLASSES: dict[str, type[NegotiationEvent]] = {
    cls.model_fields["type"].default: cls for cls in NEGOTIATION_EVENT_CLASSES
}
NEGOTIATION_TYPES: tuple[str, ...] = tuple(NEGOTIATION_CLASSES)

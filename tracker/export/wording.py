"""Plain-text phrases for the Markdown and HTML exports (each escapes them itself). The items
are worded by tracker.projections.brief, as `tracker status` words them."""

from __future__ import annotations

from datetime import date

from tracker.projections.brief import (
    PHASE_WORDS,
    RESPONSE_WORDS,
    expectation_phrase,
    position_phrase,
    proposal_phrase,
    step_phrase,
    threat_phrase,
)
from tracker.projections.status import Demand, StatusView
from tracker.projections.words import if_clause

__all__ = [
    "MODALITY_NOTE",
    "demand_phrase",
    "expectation_phrase",
    "label",
    "phase_words",
    "position_phrase",
    "proposal_phrase",
    "response_words",
    "status_line",
    "step_phrase",
    "threat_phrase",
    "when",
]

MODALITY_NOTE = {
    "asserted": "reported as fact",
    "planned": "planned",
    "predicted": "predicted, not fact",
    "conditional": "conditional",
    "negated": "denied / did not happen",
}


def label(value: str) -> str:
    """talks.scheduled -> talks scheduled."""
    return value.replace("_", " ").replace(".", " ")


def phase_words(phase: str) -> str:
    return PHASE_WORDS.get(phase, label(phase))


def response_words(response: str) -> str:
    return RESPONSE_WORDS.get(response, label(response))


def when(value: date | None) -> str:
    return value.isoformat() if value else "date unknown"


def demand_phrase(demand: Demand) -> str:
    of = f" of {demand.target}" if demand.target else ""
    condition = if_clause(demand.condition) if demand.condition else ""
    return f"{demand.actor} demands{of}: {demand.demand}{condition}"


def status_line(status: StatusView) -> str:
    """The status in one line: phase, the proposal on the table and each party's answer,
    the agreement if any, and how many threats and next steps are open."""
    parts = [phase_words(status.phase).capitalize()]
    proposal = status.current_proposal
    if proposal is not None:
        answers = [
            f"{party} {response_words(r.response)}" for party, r in proposal.responses.items()
        ]
        parts.append(proposal_phrase(proposal) + (f": {', '.join(answers)}" if answers else ""))
    if status.agreement is not None:
        parts.append(f"agreement between {', '.join(status.agreement.parties)}")
    counts = [
        f"{len(items)} {name}" + ("s" if len(items) != 1 else "")
        for name, items in (
            ("open threat", status.open_threats),
            ("next step", status.next_steps),
        )
        if items
    ]
    if counts:
        parts.append(", ".join(counts))
    return " — ".join(parts)

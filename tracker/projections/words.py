"""Events in words: the verb of each event type, what an event is about, and the one-line
summary the status and the timeline show."""

from __future__ import annotations

from tracker.projections.facts import Fact

VERBS = {
    "proposal.made": "proposes a deal to",
    "proposal.countered": "counters the proposal of",
    "proposal.accepted": "accepts the proposal of",
    "proposal.rejected": "rejects the proposal of",
    "proposal.under_review": "is reviewing the proposal of",
    "response.delivered": "delivers its response to",
    "talks.scheduled": "is due at talks with",
    "talks.held": "holds talks with",
    "talks.ended": "ends talks with",
    "agreement.reached": "reaches an agreement with",
    "agreement.implemented": "carries out the agreement with",
    "agreement.violated": "breaches the agreement with",
    "demand.made": "demands of",
    "appeal.made": "calls on",
    "threat.issued": "threatens",
    "military.action": "takes military action against",
    "support.expressed": "supports",
    "opposition.expressed": "opposes",
}
BARE = {  # the verb when there is no target
    "proposal.made": "proposes a deal",
    "proposal.countered": "makes a counter-proposal",
    "proposal.accepted": "accepts the proposal",
    "proposal.rejected": "rejects the proposal",
    "proposal.under_review": "is reviewing the proposal",
    "response.delivered": "delivers its response",
    "talks.scheduled": "is due at talks",
    "talks.held": "holds talks",
    "talks.ended": "ends talks",
    "agreement.reached": "reaches an agreement",
    "agreement.implemented": "carries out the agreement",
    "agreement.violated": "breaches the agreement",
    "demand.made": "demands",
    "appeal.made": "makes an appeal",
    "threat.issued": "threatens",
    "military.action": "takes military action",
    "support.expressed": "expresses support",
    "opposition.expressed": "expresses opposition",
}


def what(fact: Fact) -> str:
    """The object of an event in a few words: its terms, else its place or target."""
    if fact.terms:
        return "; ".join(fact.terms)
    parts = [p for p in (fact.target, fact.location) if p]
    if fact.type in ("threat.issued", "military.action") and fact.location:
        return f"military action in {fact.location}" + (
            f" against {fact.target}" if fact.target else ""
        )
    if parts:
        return ", ".join(parts)
    return fact.evidence[0] if fact.evidence else fact.type


def describe(fact: Fact) -> str:
    """One line in words: 'Israel proposes a deal to Hamas via Egypt [asserted]'."""
    verb = VERBS[fact.type] if fact.target else BARE.get(fact.type, fact.type)
    text = f"{fact.actor} {verb}"
    if fact.type == "threat.issued" and not fact.terms and fact.location:
        text = f"{fact.actor} threatens {what(fact)}"  # "military action in Rafah against X"
    elif fact.target:
        text += f" {fact.target}"
    if fact.via:
        text += f" via {', '.join(fact.via)}"
    if (
        fact.location
        and fact.location not in text
        and not any(fact.location in term for term in fact.terms)
    ):
        text += f" in {fact.location}"
    if fact.terms:
        text += f": {'; '.join(fact.terms)}"
    if fact.condition:
        text += f", if {fact.condition}"
    if fact.modality == "negated":
        text = f"NOT: {text}"
    return text

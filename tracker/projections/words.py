"""Events in words: the verb of each event type, what an event is about, and the one-line
summary the status and the timeline show."""

from __future__ import annotations

from tracker.projections.facts import Fact, objects

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


# Types whose object (a term of kind "object") reads as the verb's object: the wording
# without a target, and with one the object does not name already.
OBJECT_VERBS = {
    "support.expressed": ("{actor} supports {object}", "{actor} supports {target} on {object}"),
    "opposition.expressed": ("{actor} opposes {object}", "{actor} opposes {target} over {object}"),
    "appeal.made": (
        "{actor} calls on the parties to {object}",
        "{actor} calls on {target} to {object}",
    ),
    "demand.made": ("{actor} demands {object}", "{actor} demands {object} from {target}"),
    "threat.issued": ("{actor} threatens to {object}", "{actor} warns {target} it will {object}"),
}


def with_object(
    type_: str, actor: str, target: str | None, obj: str, condition: str | None = None
) -> str:
    """'United States opposes Israel's planned invasion of Rafah'. The target is named where
    neither the object nor the condition ('if Hamas rejects the proposal') names it."""
    bare, aimed = OBJECT_VERBS[type_]
    named = target and (type_ == "appeal.made" or target not in f"{obj} {condition or ''}")
    return (aimed if named else bare).format(actor=actor, target=target, object=obj)


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
    """One line in words: 'Israel proposes a deal to Hamas via Egypt [asserted]'; an event
    with an object says it as the verb's: 'United States opposes Israel's planned invasion
    of Rafah'."""
    terms = fact.terms
    said = objects(fact) if fact.type in OBJECT_VERBS else ()
    if said:
        text = with_object(fact.type, fact.actor, fact.target, " and ".join(said), fact.condition)
        terms = tuple(t for t in fact.terms if t not in said)
    else:
        verb = VERBS[fact.type] if fact.target else BARE.get(fact.type, fact.type)
        text = f"{fact.actor} {verb}"
        if fact.type == "threat.issued" and not fact.terms and fact.location:
            text = f"{fact.actor} threatens {what(fact)}"  # "military action in Rafah against X"
        elif fact.target:
            text += f" {fact.target}"
    if fact.via:
        text += f" via {', '.join(fact.via)}"
    if fact.location and fact.location not in text and not any(fact.location in t for t in terms):
        text += f" in {fact.location}"
    if terms:
        text += f": {'; '.join(terms)}"
    if fact.condition:
        text += if_clause(fact.condition)
    if fact.modality == "negated":
        text = f"NOT: {text}"
    return text


def if_clause(condition: str) -> str:
    """ ", if X" for a condition; one that says "unless X" keeps its own word, since "if X" would
    say the opposite."""
    return f", {condition}" if condition.lower().startswith("unless ") else f", if {condition}"

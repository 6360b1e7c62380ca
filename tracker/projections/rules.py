"""The status rules: how each event changes the deal status, as ONE table (RULES).

The fold is pure: `fold(status, fact)` applies the first rule whose event type and modality
match, then the bookkeeping every event gets (clock, sources, last change). Only asserted
events change responses and the phase; planned, predicted and conditional events become next
steps, expectations and threats; a negated event never counts as the thing it negates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from tracker.projections.facts import Fact
from tracker.projections.status import (
    Agreement,
    Change,
    Demand,
    Expectation,
    Line,
    Milestone,
    NextStep,
    Phase,
    Position,
    Proposal,
    Response,
    Status,
    Threat,
)

ANY = "*"
SAME_PROPOSAL_DAYS = 7  # a proposal retold within a week by the same proposer is the same one
KEEP_EVIDENCE = 3  # evidence lines kept per item (the newest); the timeline keeps them all
KEEP_ITEMS = 30  # bound on demands / positions / expectations / next steps per negotiation

Effect = Callable[[Status, Fact], None]
PhaseRule = Callable[[Status, Fact], Phase | None]


@dataclass(frozen=True)
class Rule:
    types: str  # an event type, or "*" for any
    modalities: frozenset[str]
    effect: Effect
    phase: PhaseRule
    says: str  # the rule in words, for the README and `--help`


# --- effects -------------------------------------------------------------------------------


def line(fact: Fact, text: str | None = None) -> Line:
    text = text or (fact.evidence[0] if fact.evidence else describe(fact))
    return Line(text=text, source=fact.source, date=fact.valid_date, event_id=fact.event_id)


def _add_line(lines: list[Line], fact: Fact) -> None:
    new = line(fact)
    if all(old.event_id != new.event_id or old.text != new.text for old in lines):
        lines.append(new)
        del lines[:-KEEP_EVIDENCE]


def _same(a: str | None, b: str | None) -> bool:
    return a == b or (a or "").casefold() == (b or "").casefold()


def _close(a: date | None, b: date | None, days: int) -> bool:
    return a is None or b is None or abs((a - b).days) <= days


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return list(seen.values())


def table_proposal(status: Status, fact: Fact, kind: str = "proposal") -> Proposal:
    """A proposal on the table; a retelling (same proposer and addressee, within a week, or
    one so far known only from a response to it) merges into it instead of adding another."""
    addressed = [fact.target] if fact.target else []
    for proposal in reversed(status.proposals):
        if not _same(proposal.proposer, fact.actor) or proposal.kind != kind:
            continue
        same_party = not addressed or not proposal.addressed or _same_set(proposal, addressed)
        if same_party and (
            proposal.inferred or _close(proposal.date, fact.valid_date, SAME_PROPOSAL_DAYS)
        ):
            proposal.inferred = False
            proposal.via = _unique([*proposal.via, *fact.via])
            proposal.terms = _unique([*proposal.terms, *fact.terms])
            for party in addressed:
                _addressee(proposal, party)
            proposal.date = proposal.date or fact.valid_date
            _add_line(proposal.evidence, fact)
            return proposal
    # an older proposal between the same parties is superseded by this one
    status.proposals = [
        p
        for p in status.proposals
        if not (_same(p.proposer, fact.actor) and p.kind == kind and _same_set(p, addressed))
    ]
    proposal = Proposal(
        id=fact.event_id[:12],
        kind=kind,
        proposer=fact.actor,
        via=list(fact.via),
        terms=_unique(fact.terms),
        date=fact.valid_date,
        evidence=[line(fact)],
    )
    for party in addressed:
        _addressee(proposal, party)
    status.proposals.append(proposal)
    del status.proposals[:-KEEP_ITEMS]
    return proposal


def _same_set(proposal: Proposal, addressed: list[str]) -> bool:
    return {p.casefold() for p in proposal.addressed} == {p.casefold() for p in addressed}


def _addressee(proposal: Proposal, party: str) -> Response:
    for name, response in proposal.responses.items():
        if _same(name, party):
            return response
    proposal.addressed = _unique([*proposal.addressed, party])
    response = Response(party=party)
    proposal.responses[party] = response
    return response


def answered(status: Status, fact: Fact) -> Proposal:
    """The proposal a response answers: the newest one put to this party (by the party it
    names, if any); if there is none yet, an inferred one that a later report can fill in."""
    candidates = [p for p in status.proposals if not _same(p.proposer, fact.actor)]
    if fact.target:
        named = [p for p in candidates if _same(p.proposer, fact.target)]
        candidates = named or candidates
    addressed = [p for p in candidates if any(_same(a, fact.actor) for a in p.addressed)]
    pool = addressed or candidates
    chosen = pool[-1] if pool else None
    if chosen is None:
        chosen = Proposal(
            id=fact.event_id[:12],
            proposer=fact.target or "unknown",
            date=fact.valid_date,
            inferred=True,
        )
        status.proposals.append(chosen)
    return chosen


def respond(kind: str) -> Effect:
    def effect(status: Status, fact: Fact) -> None:
        proposal = answered(status, fact)
        response = _addressee(proposal, fact.actor)
        if kind == "responded" and response.response != "no_response":
            return  # a response of unknown content does not hide a known one
        response.response = kind
        response.date = fact.valid_date
        response.evidence = [line(fact)]

    return effect


def counter(status: Status, fact: Fact) -> None:
    """Countering marks the answered proposal and tables the counter-proposal."""
    original = answered(status, fact)
    response = _addressee(original, fact.actor)
    response.response, response.date, response.evidence = "countered", fact.valid_date, [line(fact)]
    target = fact.target or (original.proposer if original.proposer != "unknown" else None)
    proposal = table_proposal(status, _retarget(fact, target), kind="counter-proposal")
    proposal.answers = original.id


def _retarget(fact: Fact, target: str | None) -> Fact:
    return replace(fact, target=target)


def propose(status: Status, fact: Fact) -> None:
    table_proposal(status, fact)


def hold_talks(status: Status, fact: Fact) -> None:
    """Talks that took place; the scheduled step they fulfil is dropped by `resolve`."""


def end_talks(status: Status, fact: Fact) -> None:
    status.next_steps = [s for s in status.next_steps if s.type != "talks.scheduled"]


def reach_agreement(status: Status, fact: Fact) -> None:
    """A deal: the proposals leave the table, open threats close (the talks concluded)."""
    current = status.current_proposal
    parties = [fact.actor, *([fact.target] if fact.target else [])]
    terms = list(fact.terms)
    if current is not None:
        parties += [current.proposer, *current.addressed]
        terms = terms or current.terms
    status.agreement = Agreement(
        parties=_unique(p for p in parties if p != "unknown"),
        terms=_unique(terms),
        date=fact.valid_date,
        evidence=[line(fact)],
    )
    status.proposals = []
    for threat in status.open_threats:
        threat.status, threat.closed_by = "closed", "agreement reached"
    status.expectations = [e for e in status.expectations if not e.type.startswith("proposal.")]


def implement(status: Status, fact: Fact) -> None:
    agreement = _agreement(status, fact)
    agreement.implemented.append(_milestone(fact))
    del agreement.implemented[:-KEEP_ITEMS]


def breach(status: Status, fact: Fact) -> None:
    agreement = _agreement(status, fact)
    agreement.breaches.append(_milestone(fact))
    del agreement.breaches[:-KEEP_ITEMS]


def _agreement(status: Status, fact: Fact) -> Agreement:
    if status.agreement is None:  # implemented or breached before its reaching was reported
        parties = [fact.actor, *([fact.target] if fact.target else [])]
        status.agreement = Agreement(parties=parties, date=fact.valid_date)
    return status.agreement


def _milestone(fact: Fact) -> Milestone:
    return Milestone(what=what(fact), actor=fact.actor, date=fact.valid_date, evidence=[line(fact)])


def add_demand(status: Status, fact: Fact) -> None:
    text = what(fact)
    for demand in status.demands:
        if _same(demand.actor, fact.actor) and _same(demand.demand, text):
            demand.date = fact.valid_date or demand.date
            _add_line(demand.evidence, fact)
            return
    status.demands.append(
        Demand(
            actor=fact.actor,
            demand=text,
            target=fact.target,
            modality=fact.modality,
            condition=fact.condition,
            date=fact.valid_date,
            evidence=[line(fact)],
        )
    )
    del status.demands[:-KEEP_ITEMS]


def position(polarity: str) -> Effect:
    def effect(status: Status, fact: Fact) -> None:
        obj = what(fact)
        for held in status.positions:
            if (
                _same(held.actor, fact.actor)
                and held.polarity == polarity
                and _same(held.object, obj)
            ):
                held.date = fact.valid_date or held.date
                _add_line(held.evidence, fact)
                return
        status.positions.append(
            Position(
                actor=fact.actor,
                polarity=polarity,
                object=obj,
                target=fact.target,
                person=fact.person,
                date=fact.valid_date,
                evidence=[line(fact)],
            )
        )
        del status.positions[:-KEEP_ITEMS]

    return effect


def open_threat(status: Status, fact: Fact) -> None:
    action = what(fact)
    for threat in status.open_threats:
        if _same(threat.actor, fact.actor) and _same(threat.action, action):
            _add_line(threat.evidence, fact)
            return
    status.threats.append(
        Threat(
            actor=fact.actor,
            action=action,
            target=fact.target,
            location=fact.location,
            condition=fact.condition,
            modality=fact.modality,
            date=fact.valid_date,
            evidence=[line(fact)],
        )
    )
    del status.threats[:-KEEP_ITEMS]


def carry_out(status: Status, fact: Fact) -> None:
    """The threatened action happened: the actor's matching open threats are carried out."""
    for threat in status.open_threats:
        if _same(threat.actor, fact.actor) and _same_action(threat, fact):
            threat.status, threat.closed_by = "carried_out", fact.event_id[:12]
            _add_line(threat.evidence, fact)


def _same_action(threat: Threat, fact: Fact) -> bool:
    if threat.location and fact.location:
        return _same(threat.location, fact.location)
    mine = _words(" ".join([threat.action, threat.location or "", threat.target or ""]))
    theirs = _words(" ".join([*fact.terms, fact.location or "", fact.target or "", *fact.evidence]))
    return bool(mine & theirs) or not (threat.location or threat.target or fact.location)


def _words(text: str) -> set[str]:
    return {w.strip(".,;:'\"’()").casefold() for w in text.split() if len(w) > 3}


def add_next_step(status: Status, fact: Fact) -> None:
    for step in status.next_steps:
        if (
            step.type == fact.type
            and _same(step.actor, fact.actor)
            and _same(step.location, fact.location)
            and _same(step.target, fact.target)
        ):
            step.when = fact.occurred or step.when
            _add_line(step.evidence, fact)
            return
    status.next_steps.append(
        NextStep(
            type=fact.type,
            what=what(fact),
            actor=fact.actor,
            target=fact.target,
            via=list(fact.via),
            location=fact.location,
            when=fact.occurred,
            modality=fact.modality,
            reported=fact.published,
            evidence=[line(fact)],
        )
    )
    del status.next_steps[:-KEEP_ITEMS]


def add_expectation(status: Status, fact: Fact) -> None:
    text = what(fact)
    for expected in status.expectations:
        if (
            expected.type == fact.type
            and _same(expected.actor, fact.actor)
            and _same(expected.what, text)
        ):
            expected.date = fact.valid_date or expected.date
            _add_line(expected.evidence, fact)
            return
    status.expectations.append(
        Expectation(
            type=fact.type,
            what=text,
            actor=fact.actor,
            target=fact.target,
            modality=fact.modality,
            condition=fact.condition,
            attribution=fact.attribution,
            date=fact.valid_date,
            evidence=[line(fact)],
        )
    )
    del status.expectations[:-KEEP_ITEMS]


def nothing(status: Status, fact: Fact) -> None:
    """A negated event is kept in the log and the timeline, and changes nothing here."""


# --- phases --------------------------------------------------------------------------------

SETTLED = (Phase.AGREEMENT_REACHED, Phase.IMPLEMENTING)


def keep(status: Status, fact: Fact) -> Phase | None:
    return None


def to(phase: Phase) -> PhaseRule:
    return lambda status, fact: phase


def pending(status: Status, fact: Fact) -> Phase | None:
    return None if status.phase is Phase.IMPLEMENTING else Phase.PROPOSAL_PENDING


def reviewing(status: Status, fact: Fact) -> Phase | None:
    return Phase.PROPOSAL_PENDING if status.phase is Phase.NO_TALKS else None


def talking(status: Status, fact: Fact) -> Phase | None:
    return None if status.phase in SETTLED else Phase.NEGOTIATING


def after_rejection(status: Status, fact: Fact) -> Phase | None:
    """Stalled once every party asked has rejected every proposal on the table."""
    if status.phase in SETTLED:
        return None
    answers = [r.response for p in status.proposals for r in p.responses.values()]
    return Phase.STALLED if answers and all(a == "rejected" for a in answers) else Phase.NEGOTIATING


def halted(status: Status, fact: Fact) -> Phase | None:
    return None if status.phase in SETTLED else Phase.STALLED


# --- the table -----------------------------------------------------------------------------

A = frozenset({"asserted"})
PLANNED = frozenset({"planned"})
FORECAST = frozenset({"predicted", "conditional"})
NEGATED = frozenset({"negated"})
THREATENED = frozenset({"asserted", "planned", "conditional"})
IF = frozenset({"conditional"})

# First matching row wins. Read it as: "an <event type> reported as <modality> does <effect>
# and moves the phase to <phase>".
RULES: tuple[Rule, ...] = (
    # event type               modality     effect on the status     phase after
    Rule("*",                     NEGATED,  nothing,                 keep,
         "a negated event never counts as the thing negated: no change"),
    Rule("proposal.made",         A,        propose,                 pending,
         "table the proposal (proposer, via, terms); each addressed party: no_response"
         " -> proposal_pending"),
    Rule("proposal.countered",    A,        counter,                 talking,
         "the party's response becomes countered; its counter-proposal is tabled"
         " -> negotiating"),
    Rule("proposal.accepted",     A,        respond("accepted"),     talking,
         "the party's response becomes accepted -> negotiating"),
    Rule("proposal.rejected",     A,        respond("rejected"),     after_rejection,
         "the party's response becomes rejected -> stalled if every answer is a rejection,"
         " else negotiating"),
    Rule("proposal.under_review", A,        respond("under_review"), reviewing,
         "the party's response becomes under_review (phase unchanged)"),
    Rule("response.delivered",    A,        respond("responded"),    talking,
         "the party's response becomes responded, unless its content is known"
         " -> negotiating"),
    Rule("talks.scheduled",       A | PLANNED | FORECAST, add_next_step, keep,
         "a next step (who, where, when), dropped once held or passed"),
    Rule("talks.held",            A,        hold_talks,              talking,
         "talks took place: the matching next step is dropped -> negotiating"),
    Rule("talks.ended",           A,        end_talks,               halted,
         "a round ended or talks were suspended: scheduled talks dropped -> stalled"),
    Rule("agreement.reached",     A,        reach_agreement,         to(Phase.AGREEMENT_REACHED),
         "the deal (parties, terms) replaces the proposals; open threats close"
         " -> agreement_reached"),
    Rule("agreement.implemented", A,        implement,               to(Phase.IMPLEMENTING),
         "a provision was carried out -> implementing"),
    Rule("agreement.violated",    A,        breach,                  to(Phase.COLLAPSED),
         "a breach is recorded against the agreement -> collapsed"),
    Rule("demand.made",           A | IF,   add_demand,              keep,
         "the party's current demands (a demand 'for any deal' is one, even if conditional)"),
    Rule("appeal.made",           A,        position("appeal"),      keep,
         "a position: who calls on whom to do what"),
    Rule("support.expressed",     A,        position("support"),     keep,
         "a position: who supports what"),
    Rule("opposition.expressed",  A,        position("oppose"),      keep,
         "a position: who opposes what"),
    Rule("threat.issued",         THREATENED, open_threat,           keep,
         "an open threat (actor, action, condition) until carried out or the talks conclude"),
    Rule("military.action",       A,        carry_out,               keep,
         "the actor's matching open threats are carried out (closed)"),
    Rule("military.action",       PLANNED | IF, open_threat,         keep,
         "a planned or conditional offensive is an open threat"),
    Rule("*",                     PLANNED,  add_next_step,           keep,
         "any other planned event is a next step"),
    Rule("*",                     FORECAST, add_expectation,         keep,
         "any other predicted or conditional event is an expectation, shown as a prediction"),
)  # fmt: skip


_RULE_OF: dict[tuple[str, str], Rule | None] = {}


def rule_for(fact: Fact) -> Rule | None:
    """The first row of RULES that matches the event's type and modality (memoised)."""
    key = (fact.type, fact.modality)
    if key not in _RULE_OF:
        _RULE_OF[key] = next(
            (r for r in RULES if r.types in (ANY, fact.type) and fact.modality in r.modalities),
            None,
        )
    return _RULE_OF[key]


# --- the fold ------------------------------------------------------------------------------

RESOLVES = {  # an asserted event of the key type settles pending items of these types
    "talks.held": ("talks.scheduled", "talks.held"),
    "proposal.accepted": ("proposal.accepted", "proposal.rejected", "proposal.countered"),
    "proposal.rejected": ("proposal.accepted", "proposal.rejected", "proposal.countered"),
    "proposal.countered": ("proposal.accepted", "proposal.rejected", "proposal.countered"),
}


class Folder:
    """Folds events into one status. The per-event bookkeeping (counts, the last change) is
    kept here and written into the status by `result()`: a rebuild folds a million events
    and needs the status itself only when it stores it."""

    __slots__ = ("events", "last", "last_article", "latest", "position", "reports", "status")

    def __init__(self, status: Status) -> None:
        self.status = status
        self.events = status.events
        self.position = status.position
        self.reports = status.sources.articles
        self.latest = status.sources.latest
        self.last_article = status.last_article
        self.last: Fact | None = None

    def fold(self, fact: Fact) -> Folder:
        status = self.status
        _advance_clock(status, fact)
        if fact.modality == "asserted":
            _resolve(status, fact)
        rule = rule_for(fact)
        if rule is not None:
            rule.effect(status, fact)
            phase = rule.phase(status, fact)
            if phase is not None and phase is not status.phase:
                status.phase = phase
            if rule.effect is not nothing:
                self.last = fact
        self.events += 1
        if fact.position > self.position:
            self.position = fact.position
        if fact.article_id != self.last_article or fact.article_id is None:
            self.reports += 1
            self.last_article = fact.article_id
        if fact.published and (self.latest is None or fact.published > self.latest):
            self.latest = fact.published
        return self

    def result(self) -> Status:
        status = self.status
        if self.last is not None:
            status.last_change = change(self.last)
            self.last = None
        status.events, status.position = self.events, self.position
        status.sources.articles, status.sources.latest = self.reports, self.latest
        status.last_article = self.last_article
        return status


def fold(status: Status, fact: Fact) -> Status:
    """Apply one event to the status (in place, and returned for convenience)."""
    return Folder(status).fold(fact).result()


def project(negotiation: str, facts: Iterable[Fact]) -> Status:
    folder = Folder(Status(negotiation=negotiation))
    for fact in facts:
        folder.fold(fact)
    return folder.result()


def _advance_clock(status: Status, fact: Fact) -> None:
    """Event time moves forward with what is reported; scheduled steps before it have passed."""
    today = fact.known_date
    if today is None or (status.clock is not None and today <= status.clock):
        return
    status.clock = today
    status.next_steps = [s for s in status.next_steps if not passed(s, today)]


def passed(step: NextStep, today: date) -> bool:
    return step.when is not None and step.when < today - timedelta(days=1)


def _resolve(status: Status, fact: Fact) -> None:
    """An asserted event settles the next steps and expectations it fulfils."""
    types = RESOLVES.get(fact.type, (fact.type,))
    steps = status.next_steps
    if steps:
        kept = [s for s in steps if s.type not in types or not _step_done(s, fact)]
        if len(kept) != len(steps):
            status.next_steps = kept
    expected = status.expectations
    if expected:
        left = [e for e in expected if e.type not in types or not _same(e.actor, fact.actor)]
        if len(left) != len(expected):
            status.expectations = left


def _step_done(step: NextStep, fact: Fact) -> bool:
    if not _same(step.actor, fact.actor):
        return False
    return not (step.location and fact.location) or _same(step.location, fact.location)


def change(fact: Fact) -> Change:
    return Change(
        type=fact.type,
        summary=describe(fact),
        modality=fact.modality,
        date=fact.valid_date,
        source=fact.source,
        source_url=fact.source_url,
        evidence=fact.evidence[0] if fact.evidence else None,
        event_id=fact.event_id,
        position=fact.position,
    )


# --- words ---------------------------------------------------------------------------------

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


def rules_table() -> list[tuple[str, str, str]]:
    """(event type, modalities, what it does) for each row, for the README and help."""
    return [(r.types, ", ".join(sorted(r.modalities)), r.says) for r in RULES]

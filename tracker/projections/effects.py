"""What each row of the rules table does to the status (tracker/projections/rules.py).

An effect takes the status being folded (a Book: the Draft and its indexes) and one event.
Items retold by a later report (same party, same demand, threat, step...) are merged into
the one already held, keeping the newest KEEP_EVIDENCE evidence lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from tracker.projections.book import Book
from tracker.projections.draft import (
    Agreement,
    Demand,
    Draft,
    Expectation,
    Line,
    Milestone,
    NextStep,
    Position,
    Proposal,
    Response,
    Threat,
)
from tracker.projections.facts import Fact, fold_case
from tracker.projections.words import describe, what

SAME_PROPOSAL_DAYS = 7  # a proposal retold within a week by the same proposer is the same one
KEEP_EVIDENCE = 3  # evidence lines kept per item (the newest); the timeline keeps them all
KEEP_PROPOSALS = 30  # bound on proposals and on an agreement's milestones

Effect = Callable[[Book, Fact], None]


def line(fact: Fact, text: str | None = None) -> Line:
    text = text or (fact.evidence[0] if fact.evidence else describe(fact))
    return Line(text, fact.source, fact.occurred or fact.published, fact.event_id)  # valid_date


def _add_line(lines: list[Line], fact: Fact) -> None:
    new = line(fact)
    if all(old.event_id != new.event_id or old.text != new.text for old in lines):
        lines.append(new)
        del lines[:-KEEP_EVIDENCE]


def same(a: str | None, b: str | None) -> bool:
    return a == b or (a or "").casefold() == (b or "").casefold()


def _close(a: date | None, b: date | None, days: int) -> bool:
    return a is None or b is None or abs((a - b).days) <= days


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return list(seen.values())


# --- proposals and responses -----------------------------------------------------------------


def table_proposal(status: Draft, fact: Fact, kind: str = "proposal") -> Proposal:
    """A proposal on the table; a retelling (same proposer and addressee, within a week, or
    one so far known only from a response to it) merges into it instead of adding another."""
    addressed = [fact.target] if fact.target else []
    for proposal in reversed(status.proposals):
        if not same(proposal.proposer, fact.actor) or proposal.kind != kind:
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
        if not (same(p.proposer, fact.actor) and p.kind == kind and _same_set(p, addressed))
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
    del status.proposals[:-KEEP_PROPOSALS]
    return proposal


def _same_set(proposal: Proposal, addressed: list[str]) -> bool:
    return {p.casefold() for p in proposal.addressed} == {p.casefold() for p in addressed}


def _addressee(proposal: Proposal, party: str) -> Response:
    for name, response in proposal.responses.items():
        if same(name, party):
            return response
    proposal.addressed = _unique([*proposal.addressed, party])
    response = Response(party=party)
    proposal.responses[party] = response
    return response


def answered(status: Draft, fact: Fact) -> Proposal:
    """The proposal a response answers: the newest one put to this party (by the party it
    names, if any); if there is none yet, an inferred one that a later report can fill in."""
    actor, folded = fact.actor, fold_case(fact.actor)  # same(name, actor), folded once
    candidates = [
        p for p in status.proposals if not (p.proposer == actor or p.proposer.casefold() == folded)
    ]
    if fact.target:
        named = [p for p in candidates if same(p.proposer, fact.target)]
        candidates = named or candidates
    addressed = [
        p for p in candidates if any(a == actor or a.casefold() == folded for a in p.addressed)
    ]
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


def propose(book: Book, fact: Fact) -> None:
    table_proposal(book.status, fact)


def respond(kind: str) -> Effect:
    def effect(book: Book, fact: Fact) -> None:
        proposal = answered(book.status, fact)
        response = _addressee(proposal, fact.actor)
        if kind == "responded" and response.response != "no_response":
            return  # a response of unknown content does not hide a known one
        response.response = kind
        response.date = fact.valid_date
        response.evidence = [line(fact)]

    effect.__name__ = f"respond_{kind}"
    return effect


def counter(book: Book, fact: Fact) -> None:
    """Countering marks the answered proposal and tables the counter-proposal."""
    status = book.status
    original = answered(status, fact)
    response = _addressee(original, fact.actor)
    response.response, response.date, response.evidence = "countered", fact.valid_date, [line(fact)]
    target = fact.target or (original.proposer if original.proposer != "unknown" else None)
    proposal = table_proposal(status, fact._replace(target=target), kind="counter-proposal")
    proposal.answers = original.id


# --- talks and the agreement ---------------------------------------------------------------


def hold_talks(book: Book, fact: Fact) -> None:
    """Talks that took place; the scheduled step they fulfil is dropped by the fold."""


def end_talks(book: Book, fact: Fact) -> None:
    book.next_steps.keep(lambda s: s.type != "talks.scheduled")


def reach_agreement(book: Book, fact: Fact) -> None:
    """A deal: the proposals leave the table, open threats close (the talks concluded)."""
    status = book.status
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
    book.expectations.keep(lambda e: not e.type.startswith("proposal."))


def implement(book: Book, fact: Fact) -> None:
    agreement = _agreement(book.status, fact)
    agreement.implemented.append(_milestone(fact))
    del agreement.implemented[:-KEEP_PROPOSALS]


def breach(book: Book, fact: Fact) -> None:
    agreement = _agreement(book.status, fact)
    agreement.breaches.append(_milestone(fact))
    del agreement.breaches[:-KEEP_PROPOSALS]


def _agreement(status: Draft, fact: Fact) -> Agreement:
    if status.agreement is None:  # implemented or breached before its reaching was reported
        parties = [fact.actor, *([fact.target] if fact.target else [])]
        status.agreement = Agreement(parties=parties, date=fact.valid_date)
    return status.agreement


def _milestone(fact: Fact) -> Milestone:
    return Milestone(what=what(fact), actor=fact.actor, date=fact.valid_date, evidence=[line(fact)])


# --- demands, positions, threats -----------------------------------------------------------


def add_demand(book: Book, fact: Fact) -> None:
    text = what(fact)
    for demand in book.demands.bucket((fold_case(fact.actor), fold_case(text))):
        demand.date = fact.valid_date or demand.date
        _add_line(demand.evidence, fact)
        return
    book.demands.append(
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


def position(polarity: str) -> Effect:
    def effect(book: Book, fact: Fact) -> None:
        obj = what(fact)
        for held in book.positions.bucket((fold_case(fact.actor), polarity, fold_case(obj))):
            held.date = fact.valid_date or held.date
            _add_line(held.evidence, fact)
            return
        book.positions.append(
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

    effect.__name__ = f"position_{polarity}"
    return effect


def open_threat(book: Book, fact: Fact) -> None:
    action = what(fact)
    for threat in book.threats.bucket((fold_case(fact.actor), fold_case(action))):
        if threat.status == "active":
            _add_line(threat.evidence, fact)
            return
    book.threats.append(
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


def carry_out(book: Book, fact: Fact) -> None:
    """The threatened action happened: the actor's matching open threats are carried out."""
    for threat in book.status.open_threats:
        if same(threat.actor, fact.actor) and _same_action(threat, fact):
            threat.status, threat.closed_by = "carried_out", fact.event_id[:12]
            _add_line(threat.evidence, fact)


def _same_action(threat: Threat, fact: Fact) -> bool:
    if threat.location and fact.location:
        return same(threat.location, fact.location)
    mine = _words(" ".join([threat.action, threat.location or "", threat.target or ""]))
    theirs = _words(" ".join([*fact.terms, fact.location or "", fact.target or "", *fact.evidence]))
    return bool(mine & theirs) or not (threat.location or threat.target or fact.location)


def _words(text: str) -> set[str]:
    return {w.strip(".,;:'\"’()").casefold() for w in text.split() if len(w) > 3}


# --- what comes next -------------------------------------------------------------------------


def add_next_step(book: Book, fact: Fact) -> None:
    for step in book.next_steps.bucket((fact.type, fold_case(fact.actor))):
        if same(step.location, fact.location) and same(step.target, fact.target):
            step.when = fact.occurred or step.when
            _add_line(step.evidence, fact)
            return
    book.next_steps.append(
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


def add_expectation(book: Book, fact: Fact) -> None:
    text = fold_case(what(fact))
    for expected in book.expectations.bucket((fact.type, fold_case(fact.actor))):
        if fold_case(expected.what) == text:
            expected.date = fact.valid_date or expected.date
            _add_line(expected.evidence, fact)
            return
    book.expectations.append(
        Expectation(
            type=fact.type,
            what=what(fact),
            actor=fact.actor,
            target=fact.target,
            modality=fact.modality,
            condition=fact.condition,
            attribution=fact.attribution,
            date=fact.valid_date,
            evidence=[line(fact)],
        )
    )


def nothing(book: Book, fact: Fact) -> None:
    """A negated event is kept in the log and the timeline, and changes nothing here."""

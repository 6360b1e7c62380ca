"""The status rules: how each event changes the deal status, as ONE table (RULES).

Read a row as: "an <event type> reported as <modality> does <effect> and moves the phase to
<phase>"; the first row whose type and modality match applies. Only asserted events change
responses and the phase; planned, predicted and conditional events become next steps,
expectations and threats; a negated event never counts as the thing it negates. The effects
are in effects.py, the fold that applies a row (and the bookkeeping every event gets) in
fold.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tracker.projections.draft import Draft
from tracker.projections.effects import (
    Effect,
    add_demand,
    add_expectation,
    add_next_step,
    breach,
    carry_out,
    counter,
    end_talks,
    hold_talks,
    implement,
    nothing,
    open_threat,
    position,
    propose,
    reach_agreement,
    respond,
)
from tracker.projections.facts import Fact
from tracker.projections.status import Phase

ANY = "*"

PhaseRule = Callable[[Draft, Fact], Phase | None]


@dataclass(frozen=True)
class Rule:
    types: str  # an event type, or "*" for any
    modalities: frozenset[str]
    effect: Effect
    phase: PhaseRule
    says: str  # the rule in words: the README's rules table (markdown.rules_markdown)


# --- phases --------------------------------------------------------------------------------

SETTLED = (Phase.AGREEMENT_REACHED, Phase.IMPLEMENTING)


def keep(status: Draft, fact: Fact) -> Phase | None:
    return None


def to(phase: Phase) -> PhaseRule:
    return lambda status, fact: phase


def pending(status: Draft, fact: Fact) -> Phase | None:
    return None if status.phase is Phase.IMPLEMENTING else Phase.PROPOSAL_PENDING


def reviewing(status: Draft, fact: Fact) -> Phase | None:
    return Phase.PROPOSAL_PENDING if status.phase is Phase.NO_TALKS else None


def talking(status: Draft, fact: Fact) -> Phase | None:
    return None if status.phase in SETTLED else Phase.NEGOTIATING


def after_rejection(status: Draft, fact: Fact) -> Phase | None:
    """Stalled once every party asked has rejected every proposal on the table."""
    if status.phase in SETTLED:
        return None
    answers = [r.response for p in status.proposals for r in p.responses.values()]
    return Phase.STALLED if answers and all(a == "rejected" for a in answers) else Phase.NEGOTIATING


def halted(status: Draft, fact: Fact) -> Phase | None:
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
    """The first row of RULES that matches the event's type and modality (memoised: one
    look-up per event once seen)."""
    key = (fact.type, fact.modality)
    try:
        return _RULE_OF[key]
    except KeyError:
        found = _RULE_OF[key] = next(
            (r for r in RULES if r.types in (ANY, fact.type) and fact.modality in r.modalities),
            None,
        )
        return found

"""The status rules, in the domain: events built by hand, folded without a database."""

from __future__ import annotations

from datetime import date

from projection_helpers import NEGOTIATION, event, facts, seed_events

from tracker.events import NegotiationEvent
from tracker.projections.brief import brief, diff, document
from tracker.projections.fold import project
from tracker.projections.rules import RULES
from tracker.projections.status import Status
from tracker.projections.words import describe


def status_of(events: list[NegotiationEvent]) -> Status:
    return project(NEGOTIATION, facts(events))


# --- the seed article alone --------------------------------------------------------------------


def test_seed_article_gives_a_pending_proposal_via_egypt_with_its_terms() -> None:
    status = status_of(seed_events())
    assert status.phase == "proposal_pending"
    [proposal] = status.proposals
    assert (proposal.proposer, proposal.via, proposal.addressed) == ("Israel", ["Egypt"], ["Hamas"])
    assert proposal.terms == [
        "over 30 hostages over the next few weeks",
        "Palestinian captives in return",
    ]
    assert proposal.responses["Hamas"].response == "under_review"
    assert "hasn't outright objected" in proposal.responses["Hamas"].evidence[0].text


def test_seed_article_gives_the_delegation_threat_positions_and_prediction() -> None:
    status = status_of(seed_events())
    [step] = status.next_steps
    assert (step.type, step.actor, step.location, step.modality) == (
        "talks.scheduled",
        "Hamas",
        "Cairo",
        "planned",
    )
    [threat] = status.open_threats
    assert (threat.actor, threat.action, threat.condition) == (
        "Israel",
        "invade Rafah",
        "Hamas rejects the proposal",
    )
    held = {(p.actor, p.polarity, p.object) for p in status.positions}
    assert ("United States", "support", "the ceasefire agreement") in held
    assert ("United States", "oppose", "the invasion of Rafah") in held
    [expected] = status.expectations
    assert (expected.type, expected.actor, expected.modality) == (
        "proposal.rejected",
        "Hamas",
        "predicted",
    )


def test_a_predicted_rejection_is_never_a_rejection() -> None:
    status = status_of(seed_events())
    responses = [r.response for p in status.proposals for r in p.responses.values()]
    assert "rejected" not in responses
    assert status.phase != "stalled"


def test_seed_order_does_not_matter_for_responses() -> None:
    """A response told before the proposal it answers attaches to that proposal."""
    events = seed_events()
    review = next(e for e in events if e.type == "proposal.under_review")
    reordered = [review, *(e for e in events if e is not review)]
    status = status_of(reordered)
    [proposal] = status.proposals
    assert proposal.proposer == "Israel" and not proposal.inferred
    assert proposal.responses["Hamas"].response == "under_review"


def test_the_brief_reads_like_a_brief_and_the_json_says_the_same() -> None:
    status = status_of(seed_events())
    text = "\n".join(brief(status, date(2024, 4, 30)))
    assert text.startswith("gaza-ceasefire: proposal pending")
    for part in ("via Egypt", "Hamas: under review", "invade Rafah, if Hamas rejects", "Cairo"):
        assert part in text
    assert "[predicted, not a fact]" in text
    body = document(status, date(2024, 4, 30))
    assert body["phase"] == "proposal_pending"
    [proposal] = body["proposals"]
    assert proposal["responses"]["Hamas"]["response"] == "under_review"
    assert proposal["via"] == ["Egypt"]
    [threat] = body["threats"]
    assert (threat["status"], threat["condition"]) == ("active", "Hamas rejects the proposal")
    assert "clock" not in body


# --- sequences of articles (text written for these tests) --------------------------------------

D = date(2025, 3, 1)


def day(n: int) -> dict[str, object]:
    return {"published": date(2025, 3, n), "article_id": f"article-{n}"}


def test_sequence_proposal_then_counter_proposal() -> None:
    steps = [
        event(
            "proposal.made",
            "Egypt",
            "Egypt tabled a three-stage plan for a truce between Northland and Southland.",
            target="Southland",
            terms=["three-stage truce"],
            **day(1),
        )
    ]
    status = status_of(steps)
    assert status.phase == "proposal_pending"
    assert status.proposals[0].responses["Southland"].response == "no_response"

    steps.append(
        event(
            "proposal.countered",
            "Southland",
            "Southland answered with its own draft asking for a longer first stage.",
            target="Egypt",
            terms=["a longer first stage"],
            **day(3),
        )
    )
    status = status_of(steps)
    assert status.phase == "negotiating"
    original, counter = status.proposals
    assert original.responses["Southland"].response == "countered"
    assert (counter.kind, counter.proposer, counter.addressed) == (
        "counter-proposal",
        "Southland",
        ["Egypt"],
    )
    assert counter.answers == original.id and counter.terms == ["a longer first stage"]


def test_sequence_acceptance_by_one_side_and_rejection_by_the_other() -> None:
    steps = [
        event(
            "proposal.made",
            "Qatar",
            "Qatar put a plan to both sides.",
            target="Northland",
            **day(1),
        ),
        event(
            "proposal.made",
            "Qatar",
            "Qatar's plan also went to Southland.",
            target="Southland",
            **day(1),
        ),
    ]
    steps[1] = event(
        "proposal.made",
        "Qatar",
        "Qatar's plan went to Southland too.",
        target="Southland",
        **day(2),
    )
    status = status_of(steps)
    assert [p.addressed for p in status.proposals] == [["Northland"], ["Southland"]]

    steps.append(
        event(
            "proposal.accepted",
            "Northland",
            "Northland accepted the plan.",
            target="Qatar",
            **day(3),
        )
    )
    status = status_of(steps)
    responses = {n: r.response for p in status.proposals for n, r in p.responses.items()}
    assert responses == {"Northland": "accepted", "Southland": "no_response"}
    assert status.phase == "negotiating"

    steps.append(
        event(
            "proposal.rejected",
            "Southland",
            "Southland turned the plan down.",
            target="Qatar",
            **day(4),
        )
    )
    status = status_of(steps)
    responses = {n: r.response for p in status.proposals for n, r in p.responses.items()}
    assert responses == {"Northland": "accepted", "Southland": "rejected"}
    assert status.phase == "negotiating"  # one side still says yes: not stalled


def test_rejection_by_every_party_asked_stalls_the_talks() -> None:
    steps = [
        event(
            "proposal.made", "Northland", "Northland offered a swap.", target="Southland", **day(1)
        ),
        event(
            "proposal.rejected",
            "Southland",
            "Southland rejected the swap.",
            target="Northland",
            **day(2),
        ),
    ]
    assert status_of(steps).phase == "stalled"


def test_sequence_threat_then_the_threatened_action() -> None:
    steps = [
        event(
            "threat.issued",
            "Northland",
            "Northland warned it would storm the port of Eastharbour if talks failed.",
            target="Southland",
            location="Eastharbour",
            terms=["storm the port"],
            modality="conditional",
            condition="talks fail",
            **day(1),
        )
    ]
    status = status_of(steps)
    [threat] = status.open_threats
    assert threat.status == "active" and threat.condition == "talks fail"

    steps.append(
        event(
            "military.action",
            "Southland",
            "Southland shelled a border post.",
            location="Westgate",
            **day(2),
        )
    )
    assert len(status_of(steps).open_threats) == 1  # someone else's action closes nothing

    steps.append(
        event(
            "military.action",
            "Northland",
            "Northland troops moved into Eastharbour at dawn.",
            location="Eastharbour",
            **day(4),
        )
    )
    status = status_of(steps)
    assert status.open_threats == []
    assert status.threats[0].status == "carried_out"


def test_a_predicted_offensive_is_not_the_threatened_action() -> None:
    steps = [
        event(
            "threat.issued",
            "Northland",
            "Northland threatened Eastharbour.",
            location="Eastharbour",
            modality="conditional",
            **day(1),
        ),
        event(
            "military.action",
            "Northland",
            "An assault on Eastharbour is likely.",
            location="Eastharbour",
            modality="predicted",
            **day(2),
        ),
    ]
    status = status_of(steps)
    assert len(status.open_threats) == 1 and status.threats[0].status == "active"
    assert [(e.type, e.modality) for e in status.expectations] == [("military.action", "predicted")]


def test_sequence_talks_scheduled_then_held() -> None:
    steps = [
        event(
            "talks.scheduled",
            "Southland",
            "A Southland delegation is due in Doha on Tuesday.",
            location="Doha",
            modality="planned",
            occurred=date(2025, 3, 4),
            **day(1),
        )
    ]
    status = status_of(steps)
    assert [(s.actor, s.location, s.when) for s in status.next_steps] == [
        ("Southland", "Doha", date(2025, 3, 4))
    ]
    assert status.phase == "no_talks"

    steps.append(
        event(
            "talks.held",
            "Southland",
            "The Southland delegation met mediators in Doha.",
            location="Doha",
            occurred=date(2025, 3, 4),
            **day(5),
        )
    )
    status = status_of(steps)
    assert status.next_steps == []
    assert status.phase == "negotiating"


def test_a_scheduled_step_whose_day_has_passed_is_dropped() -> None:
    steps = [
        event(
            "talks.scheduled",
            "Southland",
            "Talks are set for 2 March.",
            location="Doha",
            modality="planned",
            occurred=date(2025, 3, 2),
            **day(1),
        ),
    ]
    assert len(status_of(steps).next_steps) == 1
    steps.append(
        event(
            "demand.made",
            "Northland",
            "Northland wants guarantees.",
            terms=["guarantees"],
            **day(9),
        )
    )
    assert status_of(steps).next_steps == []


def test_sequence_agreement_implementation_then_breach() -> None:
    steps = [
        event(
            "proposal.made",
            "Egypt",
            "Egypt proposed a truce.",
            target="Northland",
            terms=["six-week truce"],
            **day(1),
        ),
        event(
            "threat.issued",
            "Northland",
            "Northland threatened a new offensive.",
            modality="conditional",
            terms=["new offensive"],
            **day(1),
        ),
        event(
            "agreement.reached",
            "Northland",
            "Northland and Southland agreed a truce.",
            target="Southland",
            **day(2),
        ),
    ]
    status = status_of(steps)
    assert status.phase == "agreement_reached"
    assert status.agreement is not None
    assert set(status.agreement.parties) == {"Northland", "Southland", "Egypt"}
    assert status.agreement.terms == ["six-week truce"]
    assert status.proposals == [] and status.open_threats == []

    steps.append(
        event(
            "agreement.implemented",
            "Southland",
            "Southland freed 20 prisoners.",
            terms=["20 prisoners freed"],
            **day(4),
        )
    )
    status = status_of(steps)
    assert status.phase == "implementing"
    assert status.agreement is not None
    assert [m.what for m in status.agreement.implemented] == ["20 prisoners freed"]

    steps.append(
        event(
            "agreement.violated",
            "Northland",
            "Northland shelled Southland, breaking the truce.",
            target="Southland",
            **day(6),
        )
    )
    status = status_of(steps)
    assert status.phase == "collapsed"
    assert status.agreement is not None and len(status.agreement.breaches) == 1


def test_planned_and_negated_events_do_not_change_the_phase() -> None:
    steps = [
        event(
            "agreement.reached",
            "Northland",
            "A deal is expected next week.",
            target="Southland",
            modality="predicted",
            **day(1),
        ),
        event(
            "talks.held",
            "Southland",
            "No talks took place on Monday.",
            modality="negated",
            **day(2),
        ),
        event(
            "proposal.accepted",
            "Southland",
            "Southland said it would accept.",
            modality="planned",
            **day(3),
        ),
    ]
    status = status_of(steps)
    assert status.phase == "no_talks"
    assert status.agreement is None and status.proposals == []
    assert [e.type for e in status.expectations] == ["agreement.reached"]
    assert [s.type for s in status.next_steps] == ["proposal.accepted"]
    assert status.last_change is not None and status.last_change.type == "proposal.accepted"


def test_an_asserted_response_settles_the_prediction_about_it() -> None:
    events = seed_events()
    events.append(
        event("proposal.rejected", "Hamas", "Hamas rejected the offer.", target="Israel", **day(2))
    )
    status = status_of(events)
    assert status.expectations == []
    assert status.proposals[0].responses["Hamas"].response == "rejected"


def test_a_retelling_of_the_same_proposal_merges_and_a_new_one_supersedes() -> None:
    first = event(
        "proposal.made",
        "Israel",
        "Israel sent a plan.",
        target="Hamas",
        terms=["40 hostages"],
        **day(1),
    )
    again = event(
        "proposal.made",
        "Israel",
        "Israel's plan was sent via Egypt.",
        target="Hamas",
        via=("Egypt",),
        **day(3),
    )
    later = event(
        "proposal.made",
        "Israel",
        "Israel sent a new plan.",
        target="Hamas",
        terms=["33 hostages"],
        **day(20),
    )
    status = status_of([first, again])
    [proposal] = status.proposals
    assert proposal.via == ["Egypt"] and proposal.terms == ["40 hostages"]
    status = status_of([first, again, later])
    [proposal] = status.proposals
    assert proposal.terms == ["33 hostages"]


def test_diff_says_what_changed_line_by_line() -> None:
    events = seed_events()
    before = status_of(events)
    after = status_of(
        [
            *events,
            event("proposal.rejected", "Hamas", "Hamas rejected it.", target="Israel", **day(2)),
        ]
    )
    changed = diff(before, after)
    assert "-   Hamas on Israel's proposal: under_review" in changed
    assert "+   Hamas on Israel's proposal: rejected" in changed
    assert any(c.startswith("- expectation: Hamas rejects") for c in changed)
    assert diff(after, after) == []


def test_every_negotiation_type_has_an_asserted_rule() -> None:
    from tracker.events import NEGOTIATION_TYPES

    asserted = {r.types for r in RULES if "asserted" in r.modalities}
    assert set(NEGOTIATION_TYPES) <= asserted


# --- events in words: an object term reads as the verb's object ------------------------------


def test_the_last_change_says_what_is_opposed_as_the_verbs_object() -> None:
    status = status_of(seed_events())
    assert status.last_change is not None
    assert status.last_change.summary == "United States opposes Israel over the invasion of Rafah"
    text = "\n".join(brief(status))
    assert "United States opposes Israel over the invasion of Rafah [asserted]" in text
    assert "opposes Israel: " not in text
    # the positions section words it as before
    assert "United States opposes the invasion of Rafah (2024-04-30)" in text


def test_each_object_type_words_its_object_and_names_a_target_left_unsaid() -> None:
    said = {
        fact.type: describe(fact)
        for fact in facts(
            [
                *seed_events(),
                event("demand.made", "Hamas", target="Israel", objects=["a full withdrawal"]),
            ]
        )
    }
    assert said["appeal.made"] == "United States calls on Hamas to accept the ceasefire agreement"
    assert said["support.expressed"] == "United States supports the ceasefire agreement"
    # the condition names Hamas already
    assert (
        said["threat.issued"] == "Israel threatens to invade Rafah, if Hamas rejects the proposal"
    )
    assert said["demand.made"] == "Hamas demands a full withdrawal from Israel"
    # a term of another kind stays a term
    assert said["proposal.made"].endswith(
        ": over 30 hostages over the next few weeks; Palestinian captives in return"
    )


def test_a_corrected_event_keeps_the_kind_of_its_terms() -> None:
    [opposed] = facts(seed_events()[-1:])
    corrected = opposed.corrected({"actor": "Egypt"})
    assert corrected.term_kinds == ("object",)
    assert describe(corrected) == "Egypt opposes Israel over the invasion of Rafah"


def test_an_object_that_names_the_target_reads_without_it_again() -> None:
    [opposed] = facts(
        [event("opposition.expressed", "Egypt", target="Israel", objects=["Israel's raid"])]
    )
    assert describe(opposed) == "Egypt opposes Israel's raid"

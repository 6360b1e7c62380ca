"""Targets the sentence leaves unsaid but the article makes plain (and none where it does not)."""

from __future__ import annotations

from tests.test_extract import events_of, find


def test_a_response_answers_the_last_proposal_made_to_it() -> None:
    text = (
        "Oslo, May 1 - The Northern Ferry Company on Tuesday made a new wage offer to the "
        "Coastal Seafarers Union. The union rejected it on Wednesday. The mayor of Bergen "
        "said he was studying the matter."
    )
    events = events_of(text)
    assert find(events, "proposal.rejected", "Coastal Seafarers Union").target == (
        "Northern Ferry Company"
    )


def test_a_demonym_names_the_proposer() -> None:
    events = events_of("CAIRO, Sept 9 (Wire) - Egypt on Tuesday rejected an Ethiopian proposal.")
    assert find(events, "proposal.rejected", "Egypt").target == "Ethiopia"


def test_the_two_sides_face_each_other_and_a_mediator_faces_nobody() -> None:
    text = (
        "DOHA (Wire) - Israel and Hamas will hold talks in Doha next week, Qatar said. "
        "Israel made a new proposal on Monday. Qatar will host the talks. "
        "Egyptian officials said the talks would open on Sunday."
    )
    events = events_of(text)
    assert find(events, "talks.scheduled", "Hamas").target == "Israel"
    assert find(events, "proposal.made", "Israel").target == "Hamas"
    assert all(e.target is None for e in events if e.actor in ("Qatar", "Egypt"))


def test_a_pair_named_only_in_passing_gives_no_target() -> None:
    text = (
        "ADDIS ABABA (Wire) - Ethiopia on Monday made a new proposal on the dam. "
        "Sudan said it was studying the text. Officials in Khartoum gave no date. "
        "Analysts said the talks could resume within weeks.\n\n"
        "Egypt and Qatar on Monday urged Israel and Hamas to return to negotiations on Gaza."
    )
    events = events_of(text)
    assert find(events, "proposal.made", "Ethiopia").target is None


def test_a_coordinated_verb_keeps_the_sentence_subject() -> None:
    text = "The United States condemned China's actions and urged Beijing to stop the raids."
    events = events_of(text)
    assert find(events, "appeal.made", "United States").target == "China"
    assert not [e for e in events if e.type == "appeal.made" and e.actor == "China"]

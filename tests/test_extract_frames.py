"""Extraction read from the dependency parse: the clause shapes that surface patterns miss,
each in prose written here (no article is copied into the tests)."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.article import Article
from tracker.events import NegotiationEvent
from tracker.extract import extract_article
from tracker.extract.frame_events import acronyms


def events_of(text: str) -> list[tuple[str, str, str | None, str]]:
    article = Article(id="t", text=text, published=date(2025, 5, 1))
    return [_row(e) for e in extract_article(article).events]


def _row(e: NegotiationEvent) -> tuple[str, str, str | None, str]:
    return (e.type, e.actor, e.target, e.modality.value)


def test_an_act_in_a_complement_clause_is_its_subjects_not_the_speakers() -> None:
    found = events_of(
        "The Norland Nurses Union said Friday that Meridian Health Group had rejected the "
        "new conditions in a plan the union presented last week."
    )
    rejections = [row for row in found if row[0] == "proposal.rejected"]
    assert len(rejections) == 1 and rejections[0][1].startswith("Meridian Health")


def test_a_passive_with_coordinated_agents_gives_each_agent() -> None:
    found = events_of(
        "The offer was dismissed by both the Vestrian Ministry of Labour and the Vestrian "
        "Employers Federation on Tuesday."
    )
    actors = {row[1] for row in found if row[0] == "proposal.rejected"}
    assert actors == {"Vestrian Ministry of Labour", "Vestrian Employers Federation"}


def test_a_pronoun_under_a_reporting_verb_is_the_speaker() -> None:
    found = events_of("Ukraine said it is ready to accept the American proposal for a truce.")
    assert ("proposal.accepted", "Ukraine") in {row[:2] for row in found}


def test_stacked_reporting_verbs_keep_the_act_and_its_mood() -> None:
    found = events_of("Hamas announced it was willing to release ten hostages.")
    assert ("agreement.implemented", "Hamas", None, "planned") in found


def test_an_organ_of_a_party_acts_for_it() -> None:
    found = events_of(
        "The Israeli army withdrew to the agreed lines on Monday. "
        "The Israeli cabinet approved the deal late on Thursday."
    )
    assert {("agreement.implemented", "Israel"), ("proposal.accepted", "Israel")} <= {
        row[:2] for row in found
    }


def test_parties_the_registry_does_not_know_still_act() -> None:
    found = events_of(
        "The Harbour Workers Union threatened to strike if the port authority does not raise "
        "wages. The Kessel Shipping Company rejected the union's demands on Friday."
    )
    assert ("threat.issued", "Harbour Workers Union", None, "conditional") in found
    assert ("proposal.rejected", "Kessel Shipping Company") in {row[:2] for row in found}


def test_an_acronym_is_the_name_the_article_spells_out() -> None:
    text = "The Coastal Liberation Front (CLF) said it would free the captives."
    assert acronyms(text + " Later the CLF spoke.") == {"CLF": "Coastal Liberation Front"}
    assert acronyms("The Coastal Liberation Front, or CLF, spoke.") == {
        "CLF": "Coastal Liberation Front"
    }
    found = events_of(text + " Later the CLF demanded the release of its fighters.")
    assert ("demand.made", "Coastal Liberation Front", None, "asserted") in found
    # "said it would free": a stated intention, not a forecast and not a fact
    assert ("agreement.implemented", "Coastal Liberation Front", None, "planned") in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Beijing has hinted that it could retaliate with tariffs on European cars if the "
            "bloc adopts the duties.",
            ("threat.issued", "China", None, "conditional"),
        ),
        (
            "Israeli officials said that should Hamas reject the plan, the Israeli army would "
            "resume its offensive in Rafah.",
            ("threat.issued", "Israel", "Hamas", "conditional"),
        ),
        (
            "Analysts expect Iran to reject the offer.",
            ("proposal.rejected", "Iran", None, "predicted"),
        ),
    ],
)
def test_conditions_and_forecasts_are_not_facts(
    text: str, expected: tuple[str, str, str | None, str]
) -> None:
    found = events_of(text)
    assert expected in found
    assert not [row for row in found if row[0] == expected[0] and row[3] == "asserted"]


def test_the_condition_of_a_threat_is_not_an_event() -> None:
    found = events_of(
        "Israeli officials said that should Hamas reject the plan, the Israeli army would "
        "resume its offensive in Rafah."
    )
    assert not [row for row in found if row[0] == "proposal.rejected"]


def test_nouns_whose_owner_acts() -> None:
    found = events_of("The measure passed with support from France, Italy and Poland.")
    assert {row[1] for row in found if row[0] == "support.expressed"} == {
        "France",
        "Italy",
        "Poland",
    }


@pytest.mark.parametrize(
    "text",
    [
        "Pakistan and China rejected claims that the project harms local people.",  # a charge
        "Turkey is like a demanding gentleman who wants to dance.",  # a description
        "The coalition backing the Yemeni government met in Riyadh.",  # a participle
    ],
)
def test_words_of_a_predicate_used_otherwise_make_no_event(text: str) -> None:
    found = events_of(text)
    assert not [row for row in found if row[0] in ("proposal.rejected", "demand.made")]
    assert not [row for row in found if row[0] == "support.expressed"]


def test_what_is_asked_for_or_proposed_is_not_done() -> None:
    asked = events_of("The United Nations urged Israel to accept the proposal.")
    assert ("appeal.made", "United Nations", "Israel", "asserted") in asked
    assert not [row for row in asked if row[0] == "proposal.accepted"]
    terms = events_of("Egypt tabled a proposal under which Hamas would free 30 hostages.")
    assert ("proposal.made", "Egypt") in {row[:2] for row in terms}
    assert not [row for row in terms if row[0] == "agreement.implemented"]


def test_talks_as_the_subject_are_the_two_sides_and_accusations_name_the_accused() -> None:
    found = events_of(
        "Israel and Hamas ended a third day of talks in Doha on Monday. Talks are set to "
        "resume on Wednesday. Israeli officials accused Hamas of violating the truce."
    )
    assert {("talks.scheduled", "Israel"), ("talks.scheduled", "Hamas")} <= {
        row[:2] for row in found if row[3] == "planned"
    }
    assert ("agreement.violated", "Hamas") in {row[:2] for row in found}


def test_what_has_not_happened_yet_is_no_event() -> None:
    found = events_of(
        "Egypt and Ethiopia ended the round without a deal. Egypt demanded a binding "
        "agreement before any new round could begin."
    )
    assert not [row for row in found if row[0] == "talks.scheduled"]


def test_a_counter_offer_tabled_is_the_tablers_and_one_act() -> None:
    found = events_of(
        "Egypt rejected Sudan's trade proposal on Friday and tabled a counter-offer that keeps "
        "grain tariffs in place."
    )
    assert ("proposal.rejected", "Egypt", "Sudan", "asserted") in found
    assert [row[1] for row in found if row[0] == "proposal.countered"] == ["Egypt"]
    assert not [row for row in found if row[0] == "proposal.made"]  # the same act, not two


def test_an_office_named_alone_acts_for_whoever_held_it_last() -> None:
    found = events_of(
        "A U.S. envoy handed Lebanon a plan on Monday. "
        "The envoy met President Joseph Aoun at the palace for more than two hours."
    )
    assert ("talks.held", "United States") in {row[:2] for row in found}


def test_a_possessors_organ_acts_for_the_possessor() -> None:
    found = events_of("The resolution met with opposition from Egypt's U.N. mission on Friday.")
    assert ("opposition.expressed", "Egypt") in {row[:2] for row in found}
    assert "United Nations" not in {row[1] for row in found}


def test_a_past_date_in_a_relative_clause_does_not_make_the_appeal_background() -> None:
    found = events_of(
        "The European Union urged Serbia on Monday to return to the agreement the two "
        "leaders endorsed in 2021."
    )
    assert ("appeal.made", "European Union") in {row[:2] for row in found}


def test_will_only_negotiate_once_is_a_condition_laid_down() -> None:
    found = events_of(
        "Hamas said it would only negotiate once Israel withdraws its troops from Rafah."
    )
    assert ("demand.made", "Hamas", None, "conditional") in {
        (row[0], row[1], None, row[3]) for row in found
    }
    assert "talks.held" not in {row[0] for row in found}


def test_what_a_party_says_another_must_do_is_its_appeal() -> None:
    found = events_of(
        "The Afghan government said the Taliban must stop the attacks and return to the "
        "negotiating table."
    )
    assert ("appeal.made", "Afghanistan", "Taliban", "asserted") in found
    assert "Taliban" not in {row[1] for row in found}


def test_talks_that_must_continue_are_the_speakers_appeal_to_the_other_side() -> None:
    found = events_of("Germany said on Wednesday that talks with China must continue.")
    assert ("appeal.made", "Germany", "China", "asserted") in found


def test_calling_for_a_party_to_act_is_an_appeal_to_it() -> None:
    found = events_of("Qatar called for Hamas to free the remaining hostages this week.")
    assert ("appeal.made", "Qatar", "Hamas", "asserted") in found


def test_what_another_needs_to_do_is_a_demand_and_we_need_is_none() -> None:
    found = events_of(
        "A U.S. official said Turkey needs to return the missile system. "
        '"We need to be very firm," the Turkish minister said.'
    )
    assert ("demand.made", "United States", "Turkey", "asserted") in found
    assert {row[1] for row in found} == {"United States"}


def test_negotiators_for_both_sides_are_the_articles_two_sides() -> None:
    found = events_of(
        "BRUSSELS, May 1 (Wire) - Serbia and Kosovo agreed on Monday to a new round of "
        "talks on energy. Negotiators for both sides met for nine hours on Tuesday."
    )
    held = {row[1] for row in found if row[0] == "talks.held"}
    assert held == {"Serbia", "Kosovo"}


def test_a_demonym_before_a_compound_names_the_state_and_an_aside_to_a_side_is_kept() -> None:
    found = events_of(
        "MANILA, May 1 (Wire) - Chinese coast guard vessels fired water cannon at a "
        "Philippine supply boat on Monday, the Philippines said. The Philippines lodged a "
        "protest with China. Japan also expressed support for the Philippines."
    )
    rows = {row[:3] for row in found}
    assert ("military.action", "China", "Philippines") in rows
    assert ("support.expressed", "Japan", "Philippines") in rows


def test_a_warning_that_a_party_would_act_is_that_partys_threat() -> None:
    found = events_of(
        "A spokeswoman in Beijing demanded that the Philippines remove the ship and warned "
        "that China would take countermeasures if Manila continued its provocations."
    )
    threats = {(row[1], row[2], row[3]) for row in found if row[0] == "threat.issued"}
    assert threats == {("China", "Philippines", "conditional")}


def test_a_warning_of_what_would_follow_on_a_condition_is_the_warners_threat() -> None:
    found = events_of(
        "The United Auto Workers warned that more plants could be hit if the automakers do "
        "not improve their offers."
    )
    assert ("threat.issued", "United Auto Workers", None, "conditional") in {
        (row[0], row[1], None, row[3]) for row in found
    }


def test_a_warning_about_another_partys_acts_is_opposition() -> None:
    found = events_of(
        "The European Union warned that the Somali government's actions would divide the country."
    )
    assert ("opposition.expressed", "European Union", "Somalia", "asserted") in found
    assert "threat.issued" not in {row[0] for row in found}


def test_states_beyond_the_seeded_negotiations_are_parties() -> None:
    found = events_of("Mauritius rejected the British offer on Tuesday.")
    assert ("proposal.rejected", "Mauritius") in {row[:2] for row in found}


def test_the_holders_of_an_office_named_in_the_plural_are_both_parties() -> None:
    found = events_of(
        "Indian Prime Minister Narendra Modi arrived in Port Louis on Monday to meet "
        "Mauritius Prime Minister Navinchandra Ramgoolam. On Tuesday the prime ministers "
        "signed eight agreements on maritime security."
    )
    signed = {row[1] for row in found if row[0] == "agreement.reached"}
    assert signed == {"India", "Mauritius"}


def test_we_in_a_quotation_is_its_speaker_not_the_party_it_urges() -> None:
    found = events_of(
        "Colombia's foreign minister said on Monday that talks would resume. Rights groups "
        'have followed the case for months. "We urge Guatemalan authorities to release him '
        'at once," they said in a joint statement.'
    )
    appeals = {row[1] for row in found if row[0] == "appeal.made"}
    assert not appeals & {"Guatemala", "Colombia"}  # "they" are named nowhere near


def test_a_sides_support_for_a_proposal_put_to_it_is_acceptance_a_third_partys_support() -> None:
    found = events_of(
        "MOSCOW, May 1 (Wire) - Russia and Ukraine traded accusations on Thursday over the "
        "truce talks. Russian President Vladimir Putin said Russia supports the U.S. ceasefire "
        "proposal in principle. France backed the proposal on Friday."
    )
    rows = {row[:2] for row in found}
    assert ("proposal.accepted", "Russia") in rows
    assert ("support.expressed", "Russia") not in rows
    assert ("support.expressed", "France") in rows


def test_a_stance_stated_as_a_partys_state_is_its_position() -> None:
    found = events_of(
        "The State Department said the United States is deeply disappointed by the vote. "
        "Japan is opposed to the plan."
    )
    rows = {row[:2] for row in found}
    assert {("opposition.expressed", "United States"), ("opposition.expressed", "Japan")} <= rows


def test_a_statement_speaks_for_whoever_issued_it_in_the_sentence_before() -> None:
    found = events_of(
        "Secretary of State Antony Blinken issued a statement on Tuesday about the vote in "
        "Mogadishu. The statement threatened sanctions and visa restrictions."
    )
    assert ("threat.issued", "United States") in {row[:2] for row in found}


def test_what_is_under_way_is_done_by_its_owner_or_whoever_says_so() -> None:
    found = events_of(
        "Turkey's foreign minister confirmed that diplomatic efforts are under way to repair "
        "ties with Egypt. U.S. commanders say the troop drawdown has been underway smoothly."
    )
    rows = {row[:2] for row in found}
    assert {("talks.held", "Turkey"), ("agreement.implemented", "United States")} <= rows


def test_talks_held_before_the_clause_are_its_subjects() -> None:
    found = events_of(
        "Following talks with Kenya's president on Monday, Somalia's prime minister said "
        "the two countries would reopen their embassies."
    )
    assert ("talks.held", "Somalia", "Kenya", "asserted") in found


def test_a_first_person_threat_in_a_quote_is_the_speakers_and_conditional() -> None:
    found = events_of(
        "Hungarian Prime Minister Anna Varga spoke on Monday. "
        '"If the duties are not dropped by Austria, I will sharply increase, on May 2, the '
        'tariffs on wine coming into Hungary," Varga declared.'
    )
    threats = [row for row in found if row[0] == "threat.issued"]
    assert threats == [("threat.issued", "Hungary", None, "conditional")]


def test_a_supply_cut_threatened_on_a_condition_is_a_threat() -> None:
    found = events_of(
        'Hungarian Prime Minister Anna Varga spoke on Monday. "If Austria escalates, I will '
        'not hesitate to shut the gas off completely," Varga said.'
    )
    assert ("threat.issued", "Hungary", None, "conditional") in found


def test_a_price_rising_with_a_duty_is_no_threat() -> None:
    found = events_of(
        "Austria and Hungary are in a dispute over tariffs. With the added Hungarian duty, "
        "Austrian wine bills would increase by about 40 euros a month, a trade group said."
    )
    assert not [row for row in found if row[0] == "threat.issued"]


def test_speaking_to_reporters_is_no_talks() -> None:
    found = events_of("Hungarian Prime Minister Anna Varga spoke to reporters on Tuesday.")
    assert not [row for row in found if row[0] == "talks.held"]
    met = events_of("Hungarian Prime Minister Anna Varga spoke to Austrian Chancellor Karl Moser.")
    assert [row[:2] for row in met if row[0] == "talks.held"] == [("talks.held", "Hungary")]


def test_military_support_is_aid_given_not_a_stance() -> None:
    found = events_of(
        "Austria opposes Hungary's border plan and, to that end, gives military support to "
        "Slovenia."
    )
    assert not [row for row in found if row[0] == "support.expressed"]
    assert ("opposition.expressed", "Austria") in [row[:2] for row in found]


def test_an_act_seldom_done_is_negated() -> None:
    found = events_of("Austria's former chancellor seldom criticized Hungary over the border plan.")
    assert [row[3] for row in found if row[0] == "opposition.expressed"] == ["negated"]


def test_the_reason_for_blame_is_the_blamed_ones_act_not_the_blamers() -> None:
    found = events_of(
        "Austrian Chancellor Karl Moser attacked The Daily Courier newspaper, the country's "
        "leading paper, for refusing to support his border plan."
    )
    assert not [row for row in found if row[0] == "proposal.rejected"]


def test_diplomats_of_a_grouping_gathering_hold_talks() -> None:
    found = events_of(
        "Top diplomats from the Group of Seven leading industrial nations gathered Friday in "
        "Lisbon to discuss the war."
    )
    assert ("talks.held", "G7") in [row[:2] for row in found]


def test_a_pronoun_continuing_a_named_person_keeps_that_persons_party() -> None:
    # The mediator's official is no party of the talks, but "He" is still his.
    found = events_of(
        "Israel and Hamas resumed indirect talks in Doha on Monday.\n\n"
        "U.S. Secretary of State Antony Blinken said he hoped a truce could take hold within "
        "days if Hamas agreed. He also urged Israel to let more aid into Gaza."
    )
    assert ("appeal.made", "United States", "Israel", "asserted") in found
    assert not any(row[0] == "appeal.made" and row[1] == "Israel" for row in found)


def test_a_penalty_said_to_follow_on_a_condition_is_the_speakers_threat() -> None:
    found = events_of(
        "Chinese Trade Minister Li Ming said tariffs would be imposed if Japan refused the offer."
    )
    assert found == [("threat.issued", "China", "Japan", "conditional")]


def test_a_penalty_foreseen_with_no_condition_or_no_party_is_no_threat() -> None:
    assert events_of("Chinese Trade Minister Li Ming said tariffs would be cut next year.") == []
    assert events_of("Analysts said sanctions would hurt the economy if they were kept.") == []


def test_a_gap_in_a_trigger_takes_dotted_words_but_not_a_condition() -> None:
    agreed = events_of("Ukraine agreed to the U.S. proposal for a truce on Tuesday.")
    assert ("proposal.accepted", "Ukraine") in {row[:2] for row in agreed}
    # "strike if no deal" strikes no deal: the union's strike is its conditional threat.
    found = events_of(
        "The Norland Nurses Union said it would strike if no deal was reached by Friday."
    )
    assert found == [("threat.issued", "Norland Nurses Union", None, "conditional")]


def test_a_hope_to_act_is_a_plan_whatever_the_lemmatizer_makes_of_hoped() -> None:
    for verb in ("hoped", "hopes"):
        found = events_of(f"Armenia {verb} to sign the peace treaty with Azerbaijan this year.")
        assert [row[3] for row in found if row[0] == "agreement.reached"] == ["planned"]


def test_a_relative_clause_after_a_comma_adds_an_act_one_without_picks_out_a_thing() -> None:
    added = events_of(
        "Meridian Health Group presented a new offer on Tuesday, which the Norland Nurses "
        "Union rejected hours later."
    )
    assert ("proposal.rejected", "Norland Nurses Union") in {row[:2] for row in added}
    described = events_of(
        "Meridian Health Group presented the offer that the Norland Nurses Union rejected."
    )
    assert "proposal.rejected" not in {row[0] for row in described}


def test_nobody_answers_their_own_offer_when_the_parse_names_another_answerer() -> None:
    found = events_of(
        "Meridian Health Group's offer, which included a 9% raise, was turned down by the "
        "nurses on Sunday."
    )
    assert "proposal.rejected" not in {row[0] for row in found}


def test_talks_that_collapse_end_for_both_sides_and_one_side_can_call_them_off() -> None:
    text = "Serbia and Kosovo held talks in Brussels on Monday. "
    collapsed = events_of(text + "The talks collapsed on Tuesday without a deal.")
    assert {row[1] for row in collapsed if row[0] == "talks.ended"} == {"Serbia", "Kosovo"}
    called_off = events_of("Israel called off the talks with Hamas after the attack.")
    assert ("talks.ended", "Israel") in {row[:2] for row in called_off}


def test_what_a_party_agrees_to_do_is_planned_even_where_a_rule_found_the_act() -> None:
    found = events_of(
        "Israel agreed to release 50 Palestinian prisoners in exchange for the hostages."
    )
    assert [row[3] for row in found if row[0] == "agreement.implemented"] == ["planned"]


@pytest.mark.parametrize(
    "verdict",
    [
        "Meridian Health Group's latest offer falls well short of our demands, the Norland "
        "Nurses Union told members on Sunday.",
        "The Norland Nurses Union said Meridian Health Group's offer was unacceptable.",
        "Meridian Health Group's plan is a non-starter, the Norland Nurses Union said.",
        "The Norland Nurses Union said Meridian Health Group's offer did not go far enough.",
    ],
)
def test_a_speakers_verdict_on_an_offer_is_the_speakers_rejection(verdict: str) -> None:
    found = events_of(verdict)
    rejections = [row[:3] for row in found if row[0] == "proposal.rejected"]
    assert rejections == [("proposal.rejected", "Norland Nurses Union", "Meridian Health Group")]
    assert "demand.made" not in {row[0] for row in found}  # "our demands" are named, not made


def test_a_verdict_nobody_voices_or_that_is_negated_is_no_rejection() -> None:
    assert "proposal.rejected" not in {
        row[0]
        for text in (
            "Meridian Health Group's offer was unacceptable to many observers.",
            "The Norland Nurses Union said Meridian Health Group's offer was not unacceptable.",
        )
        for row in events_of(text)
    }


def test_union_members_are_the_union_and_a_willingness_to_resume_talks_is_a_plan() -> None:
    text = "The United Auto Workers union and Stellantis are negotiating a new contract. "
    ratified = events_of(text + "Union members ratified the agreement by a wide margin.")
    assert ("proposal.accepted", "United Auto Workers") in {row[:2] for row in ratified}
    willing = events_of(text + "Stellantis said it was willing to resume talks.")
    assert ("talks.scheduled", "Stellantis", None, "planned") in willing


def test_a_vow_is_a_threat_only_when_what_is_vowed_is_hostile() -> None:
    pledged = events_of("Ursula von der Leyen of the European Union vowed to make Europe greener.")
    assert "threat.issued" not in {row[0] for row in pledged}
    threatened = events_of("Hamas vowed to retaliate against Israel for the strike.")
    assert ("threat.issued", "Hamas") in {row[:2] for row in threatened}


def test_a_stance_noun_renounced_or_withdrawn_is_no_stance_voiced() -> None:
    found = events_of(
        "Turkey said it would never renounce the Muslim Brotherhood's support. "
        "Egypt withdrew its support for the plan."
    )
    assert "support.expressed" not in {row[0] for row in found}
    voiced = events_of("Japan reaffirmed its support for the Philippines.")
    assert ("support.expressed", "Japan") in {row[:2] for row in voiced}


def test_a_verb_read_alone_needs_the_object_its_reading_wants() -> None:
    # "reviewing" alone is a trigger; "reviewing all its rights" reviews no proposal, and
    # "it" is not "its".
    found = events_of(
        "Malaysia's government is reviewing all its rights and obligations at sea, a "
        "Malaysian official said."
    )
    assert "proposal.under_review" not in {row[0] for row in found}
    assert ("proposal.under_review", "Hamas") in {
        row[:2] for row in events_of("Hamas said it was reviewing the proposal.")
    }


def test_it_continues_the_party_the_last_naming_sentence_opened_with() -> None:
    found = events_of(
        "The European Commission has proposed a plan for rearming Europe and aiding Ukraine. "
        "It includes loans for arms makers. It has also proposed looser spending rules."
    )
    assert {row[1] for row in found if row[0] == "proposal.made"} == {"European Union"}


def test_a_person_set_off_by_commas_before_a_partys_title_speaks_for_it_later() -> None:
    found = events_of(
        "Russia and Ukraine are holding talks in Istanbul. Andrii Sybiha, Ukraine's foreign "
        "minister, said on Monday that the talks must go on. Sybiha also urged Russia to free "
        "all prisoners of war."
    )
    assert ("appeal.made", "Ukraine", "Russia", "asserted") in found


def test_they_is_no_party_named_only_late_in_the_sentence_before() -> None:
    found = events_of(
        "Crowds celebrated what they called a victory for Sudan. Thousands of people began "
        "protesting last year over bread prices. They demanded reforms and new elections."
    )
    assert "demand.made" not in {row[0] for row in found}
    opened = events_of(
        "On Monday, the European Union unveiled a plan for Ukraine. They demanded that "
        "Russia withdraw its troops."
    )
    assert ("demand.made", "European Union") in {row[:2] for row in opened}


def test_he_after_a_sentence_opened_by_an_unregistered_person_is_that_person() -> None:
    found = events_of(
        "Somali President Hassan Sheikh Mohamud signed the electoral law on Tuesday. Abdi "
        "Farah Warsame, a member of the upper house, urged the president to delay it. He "
        "also urged the president to return to talks with the opposition."
    )
    assert not [row for row in found if row[0] == "appeal.made" and row[1] == "Somalia"]


def test_they_in_what_one_official_says_is_not_the_official() -> None:
    found = events_of(
        'Turkey has bought a Russian air-defence system. "They know they need to return '
        'the system," a senior U.S. official told reporters on Wednesday.'
    )
    assert ("demand.made", "United States", "Turkey", "asserted") in found


def test_an_unowned_organ_acts_for_the_state_a_story_without_dateline_is_about() -> None:
    story = (
        "Gunmen seized a passenger train in Pakistan on Tuesday and demanded the release of "
        "prisoners. Pakistan refused to negotiate with the gunmen. The military completed a "
        "rescue operation on Wednesday, Pakistan's interior minister said."
    )
    assert ("military.action", "Pakistan") in {row[:2] for row in events_of(story)}
    # Two states named as often: whose "the military" is, the story does not say.
    even = "Armenia and Azerbaijan traded accusations. The military launched an offensive."
    assert "military.action" not in {row[0] for row in events_of(even)}


def test_what_a_plan_is_for_is_its_terms_not_an_act() -> None:
    found = events_of(
        "The European Commission has proposed a plan for rearming Europe and supporting Ukraine."
    )
    assert ("proposal.made", "European Union") in {row[:2] for row in found}
    assert "support.expressed" not in {row[0] for row in found}


@pytest.mark.parametrize(
    "terms",
    [
        "The proposal would see Hamas release 33 hostages in exchange for Palestinian prisoners.",
        "Under the proposal, Israel would withdraw its troops from populated areas.",
        "The plan calls for Israel to withdraw its troops from Gaza.",
    ],
)
def test_what_a_proposal_would_hold_is_no_act(terms: str) -> None:
    found = events_of("Israel and Hamas are negotiating a truce in Gaza. " + terms)
    assert "agreement.implemented" not in {row[0] for row in found}


def test_what_an_agreed_text_says_will_happen_is_planned() -> None:
    found = events_of("Under the agreement, Israel will withdraw its troops from Gaza.")
    assert [row[3] for row in found if row[:2] == ("agreement.implemented", "Israel")] == [
        "planned"
    ]


def test_talks_that_end_without_a_deal_end_for_both_sides() -> None:
    found = events_of(
        "Serbia and Kosovo held talks in Brussels on Monday. The talks ended without a "
        "breakthrough, officials said."
    )
    assert {row[1] for row in found if row[0] == "talks.ended"} == {"Serbia", "Kosovo"}


def test_a_place_where_an_act_happens_is_not_its_target() -> None:
    found = events_of("Israel and Hamas are negotiating a ceasefire in Gaza.")
    assert {row[2] for row in found if row[0] == "talks.held"} == {"Israel", "Hamas"}


def test_who_would_face_what_is_warned_of_is_the_target_not_the_threatener() -> None:
    found = events_of("Trump warned that Iran would face military action if the talks failed.")
    assert [row for row in found if row[0] == "threat.issued"] == [
        ("threat.issued", "United States", "Iran", "conditional")
    ]


def test_what_a_relative_clause_describes_or_an_appeal_asks_for_is_no_act_of_its_own() -> None:
    described = events_of(
        "The Taliban leader was referring to the pact the United States negotiated with the "
        "insurgents in Doha."
    )
    assert "talks.held" not in {row[0] for row in described}
    asked = events_of(
        "U.S. officials blamed the Taliban for the violence and called on all sides to reduce "
        "hostilities and resume stalled peace talks."
    )
    assert "talks.held" not in {row[0] for row in asked}
    assert ("appeal.made", "United States") in {row[:2] for row in asked}


def test_a_noun_trigger_the_parse_reads_as_a_verb_is_no_event() -> None:
    found = events_of("Netanyahu plans to meet Egyptian mediators in Cairo on Monday.")
    assert "proposal.made" not in {row[0] for row in found}
    assert ("proposal.made", "Egypt") in {
        row[:2] for row in events_of("Egypt's plans for Gaza were presented on Monday.")
    }


def test_he_after_a_sentence_opened_by_a_registered_person_is_that_person() -> None:
    found = events_of(
        "Israel and Hamas resumed talks in Doha. Prime Minister Benjamin Netanyahu said "
        "Israel was ready for a deal. He also urged Hamas to release the hostages."
    )
    assert ("appeal.made", "Israel", "Hamas", "asserted") in found


def test_workers_and_nurses_stand_for_their_union_and_only_for_one() -> None:
    found = events_of(
        "Boeing and the International Association of Machinists are negotiating a contract. "
        "Workers voted to reject Boeing's latest offer on Sunday."
    )
    assert ("proposal.rejected", "International Association of Machinists") in {
        row[:2] for row in found
    }
    nurses = events_of(
        "The Norland Nurses Union and Meridian Health Group are negotiating a contract. The "
        "nurses voted to reject the latest offer on Sunday."
    )
    assert ("proposal.rejected", "Norland Nurses Union") in {row[:2] for row in nurses}
    # No union in the story: aid workers are nobody's side.
    aid = events_of("Israel and Hamas are negotiating a truce. Aid workers rejected the plan.")
    assert "proposal.rejected" not in {row[0] for row in aid}


def test_a_descriptor_stands_for_the_party_it_describes_and_only_for_one() -> None:
    armed = events_of(
        "The Taliban attacked a convoy on Sunday, days after NATO began withdrawing troops. "
        "The insurgent group said it rejects any plan to delay the withdrawal."
    )
    assert ("proposal.rejected", "Taliban") in {row[:2] for row in armed}
    bloc = events_of(
        "The European Union proposed new tariffs on Chinese cars. China condemned the plan, "
        "and NATO met on Monday. The bloc said it was ready to resume talks with Beijing."
    )
    assert ("talks.scheduled", "European Union") in {row[:2] for row in bloc}
    # No agency in the story: "the agency" (a news agency here) is nobody's side.
    told = events_of(
        "Iran and the United States are negotiating. The agency said it rejected the plan."
    )
    assert "proposal.rejected" not in {row[0] for row in told}


def test_people_who_are_no_party_act_for_no_party_wherever_they_are_from() -> None:
    for text in (
        "Britain and Mauritius are negotiating. Politicians in Britain have expressed "
        "concerns over the deal.",
        "Israel and Hamas are negotiating. Some residents of Gaza welcomed the truce.",
    ):
        assert not {row[0] for row in events_of(text)} & {
            "opposition.expressed",
            "support.expressed",
        }, text


def test_meeting_another_partys_leader_is_talks_and_meeting_demands_is_not() -> None:
    story = "Serbia and Kosovo are at odds over licence plates. "
    planned = events_of(
        story + "Serbia's president said he would meet Kosovo's prime minister in Brussels."
    )
    assert ("talks.scheduled", "Serbia", "Kosovo", "planned") in planned
    met = events_of(story + "Serbia's president met Kosovo's prime minister on Monday.")
    assert ("talks.held", "Serbia", "Kosovo", "asserted") in met
    demands = events_of(story + "Serbia says it met the EU's demands.")
    assert "talks.held" not in {row[0] for row in demands}


def test_talks_between_the_two_sides_that_break_down_end_for_both() -> None:
    found = events_of(
        "Israel and Hamas are negotiating a ceasefire in Gaza. Talks between the two sides "
        "broke down on Wednesday."
    )
    assert {("talks.ended", "Israel"), ("talks.ended", "Hamas")} <= {row[:2] for row in found}


def test_a_text_studied_or_a_compromise_not_ruled_out_is_under_review() -> None:
    story = "Serbia and Kosovo are negotiating in Brussels. "
    assert ("proposal.under_review", "Serbia") in {
        row[:2] for row in events_of(story + "Serbia said it was studying the EU's new text.")
    }
    assert ("proposal.under_review", "Kosovo") in {
        row[:2] for row in events_of(story + "Kosovo has not ruled out a compromise, he said.")
    }
    # An operation not ruled out is no proposal under review.
    rafah = events_of(
        "Israel and Hamas are negotiating. Israel has not ruled out a military operation."
    )
    assert "proposal.under_review" not in {row[0] for row in rafah}


def test_we_in_a_quote_is_the_speakers_party_not_a_party_the_quote_names() -> None:
    story = "The United States and the Taliban signed a deal in Doha. "
    unknown = events_of(
        story + '"We consider the withdrawal of forces by America a good step and strongly '
        'urge that the agreement be implemented," said Mawlawi Hibatullah Akhundzada.'
    )
    assert ("appeal.made", "United States") not in {row[:2] for row in unknown}
    known = events_of(story + '"We urge America to withdraw," the Taliban said.')
    assert ("appeal.made", "Taliban", "United States", "asserted") in known


def test_a_vice_premier_speaks_for_the_state_and_talks_in_a_city_are_the_sides() -> None:
    story = "The United States and China are negotiating a trade deal. "
    travel = events_of(
        story + "Chinese Vice Premier He Lifeng is expected to travel to Washington next month."
    )
    assert ("talks.scheduled", "China", "United States", "planned") in travel
    ended = events_of(story + "The talks in Madrid ended without a deal.")
    assert {("talks.ended", "United States"), ("talks.ended", "China")} <= {
        row[:2] for row in ended
    }


def test_visits_due_memoranda_handed_and_agreements_unlikely() -> None:
    story = "Russia and Ukraine are negotiating a ceasefire, with the United States mediating. "
    rows = {
        row[:2]
        for text in (
            "U.S. envoy Steve Witkoff is due in Moscow on Thursday.",
            "Moscow handed Kyiv a memorandum setting out its terms.",
            "Kyiv said it would study the memorandum.",
        )
        for row in events_of(story + text)
    }
    assert {
        ("talks.scheduled", "United States"),
        ("proposal.made", "Russia"),
        ("proposal.under_review", "Ukraine"),
    } <= rows
    unlikely = events_of(story + "Russia is unlikely to agree to a full ceasefire.")
    assert ("proposal.rejected", "Russia") in {row[:2] for row in unlikely}
    assert "agreement.reached" not in {row[0] for row in unlikely}
    # Nothing is due of a thing that is no party.
    decision = events_of("Israel and Hamas are negotiating. A decision is expected in days.")
    assert "talks.scheduled" not in {row[0] for row in decision}


def test_a_swap_that_took_place_was_carried_out_by_both_sides() -> None:
    story = "Russia and Ukraine are negotiating a ceasefire. "
    swap = events_of(story + "The prisoner swap took place on the Belarusian border on Friday.")
    assert {("agreement.implemented", "Russia"), ("agreement.implemented", "Ukraine")} <= {
        row[:2] for row in swap
    }
    # A release is one side's, and says not whose.
    release = events_of(story + "The release took place on Friday.")
    assert "agreement.implemented" not in {row[0] for row in release}


def test_a_phone_call_is_talks() -> None:
    found = events_of(
        "Russia and Ukraine are negotiating a ceasefire. Putin spoke by phone with Trump."
    )
    assert ("talks.held", "Russia", "United States", "asserted") in found


def test_a_warning_of_ones_own_loss_threatens_no_one_and_a_lockout_on_a_condition_does() -> None:
    story = "The Canadian Union of Postal Workers and Canada Post are negotiating a new contract. "
    loss = events_of(story + "Canada Post has warned it could lose $1 billion this year.")
    assert "threat.issued" not in {row[0] for row in loss}
    lockout = events_of(
        story + "Canada Post said it would lock out workers if no deal was reached by Friday."
    )
    assert ("threat.issued", "Canada Post") in {row[:2] for row in lockout}
    verdict = events_of(story + "Canada Post said the union's proposal was unaffordable.")
    assert ("proposal.rejected", "Canada Post", "Canadian Union of Postal Workers") in {
        row[:3] for row in verdict
    }


def test_an_invitation_to_a_new_round_is_talks_planned() -> None:
    story = "Israel and Hamas are negotiating a ceasefire, with Egypt and Qatar mediating. "
    invited = events_of(story + "Egypt has invited both sides to Cairo for a new round of talks.")
    assert ("talks.scheduled", "Egypt") in {row[:2] for row in invited}
    # "a new round": the phrase is checked on its noun, not on its adjective
    preparing = events_of(story + "Both sides are preparing for a new round of talks.")
    assert ("talks.scheduled", "Hamas") in {row[:2] for row in preparing}


def test_an_act_held_back_until_another_acts_is_a_demand_on_that_other() -> None:
    story = "Serbia and Kosovo are at odds over licence plates. "
    for text in (
        "Kosovo said it would not discuss the plates until Serbia recognised its documents.",
        "Kosovo won't discuss the plates until Serbia recognises its documents.",
    ):
        assert ("demand.made", "Kosovo", "Serbia", "asserted") in events_of(story + text), text
    # What happened before another act is no demand.
    past = events_of(story + "Kosovo did not act until Serbia recognised its documents.")
    assert "demand.made" not in {row[0] for row in past}

"""The extractor: the seed's events, modality, recaps, dedup, evidence offsets, registry."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tracker.article import Article
from tracker.events import NegotiationEvent
from tracker.extract import extract_article
from tracker.extract.normalise import normalise
from tracker.extract.registry import load_registry
from tracker.sources import load_article

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_46a520fc1d27543f.txt"
GOLD_ARTICLES = ROOT / "tests" / "gold" / "articles"


def events_of(text: str, published: date | None = date(2025, 5, 1)) -> list[NegotiationEvent]:
    return extract_article(Article(id="t", text=text, published=published)).events


def find(events: list[NegotiationEvent], type_: str, actor: str) -> NegotiationEvent:
    found = [e for e in events if e.type == type_ and e.actor == actor]
    assert found, f"no {type_} by {actor} in {[(e.type, e.actor) for e in events]}"
    return found[0]


@pytest.fixture(scope="module")
def seed_events() -> list[NegotiationEvent]:
    return extract_article(load_article(str(SEED))).events


def test_seed_appeal_by_blinken(seed_events: list[NegotiationEvent]) -> None:
    appeal = find(seed_events, "appeal.made", "United States")
    assert (appeal.target, appeal.person, appeal.modality) == (
        "Hamas",
        "Antony Blinken",
        "asserted",
    )
    assert len(appeal.evidence) >= 2  # told twice in the article, stored once


def test_seed_proposal_via_egypt_with_terms(seed_events: list[NegotiationEvent]) -> None:
    proposal = find(seed_events, "proposal.made", "Israel")
    assert proposal.target == "Hamas" and proposal.via == ("Egypt",)
    texts = [t.text for t in proposal.terms]
    assert "over 30 hostages" in texts
    assert any("in return" in t for t in texts)
    assert any("weeks" in t for t in texts)
    hostages = next(t for t in proposal.terms if t.text == "over 30 hostages")
    assert (hostages.quantity, hostages.qualifier, hostages.kind) == (30, "over", "hostage_release")


def test_seed_modalities(seed_events: list[NegotiationEvent]) -> None:
    assert find(seed_events, "proposal.rejected", "Hamas").modality == "predicted"
    assert find(seed_events, "proposal.under_review", "Hamas").modality == "asserted"
    talks = find(seed_events, "talks.scheduled", "Hamas")
    assert (talks.modality, talks.location) == ("planned", "Cairo")
    threat = find(seed_events, "threat.issued", "Israel")
    assert (threat.modality, threat.location) == ("conditional", "Rafah")
    assert threat.condition == "Hamas rejects the proposal"  # finite, not "should ... reject"
    assert threat.target == "Hamas"  # the party the condition names
    assert threat.attribution == "Israeli officials"
    assert find(seed_events, "support.expressed", "United States").modality == "asserted"
    opposition = find(seed_events, "opposition.expressed", "United States")
    assert opposition.person == "Joe Biden"


def test_seed_has_no_false_rejection_or_acceptance(seed_events: list[NegotiationEvent]) -> None:
    # "hasn't outright objected" and "should Hamas reject" are not rejections; "Hamas to
    # accept" is what the US asks, not what Hamas did.
    assert [e.modality for e in seed_events if e.type == "proposal.rejected"] == ["predicted"]
    assert not [e for e in seed_events if e.type == "proposal.accepted"]


def test_seed_routes_and_carries_article_fields(seed_events: list[NegotiationEvent]) -> None:
    assert all(e.negotiations[0] == "israel-hamas-ceasefire" for e in seed_events)
    assert all(e.article_id == "000_46a520fc1d27543f" for e in seed_events)
    assert all(e.published == date(2024, 4, 30) for e in seed_events)


ARTICLES = [p for p in sorted(GOLD_ARTICLES.glob("*.json")) if not p.name.endswith(".meta.json")]


@pytest.mark.parametrize("path", [*ARTICLES, SEED], ids=lambda p: p.stem)
def test_evidence_points_into_the_text_as_given(path: Path) -> None:
    article = load_article(str(path))
    for event in extract_article(article).events:
        for evidence in event.evidence:
            assert article.text[evidence.start : evidence.end] == evidence.text


def test_normalise_maps_back_to_original_offsets() -> None:
    original = "Hamas\u2019 \u201coffer\u201d \u2014  was\u00a0studied\u2026 next"
    norm = normalise(original)
    assert norm.text == 'Hamas\' "offer" - was studied... next'
    start = norm.text.index("studied")
    a, b = norm.original_span(start, start + len("studied..."))
    assert original[a:b] == "studied\u2026"


@pytest.mark.parametrize(
    ("text", "type_", "actor", "modality"),
    [
        (
            "Hamas will likely refuse the proposal, officials said.",
            "proposal.rejected",
            "Hamas",
            "predicted",
        ),
        (
            "Should Hamas reject the proposal, Israel would invade Rafah.",
            "threat.issued",
            "Israel",
            "conditional",
        ),
        (
            "Hamas has not objected to the truce proposal.",
            "proposal.under_review",
            "Hamas",
            "asserted",
        ),
        (
            "Qatar denied that it had suspended its mediation role.",
            "talks.ended",
            "Qatar",
            "negated",
        ),
        (
            # A denial reaches what follows it, not what the sentence goes on to say.
            "Hamas denied involvement in the attack, saying it rejects the proposal.",
            "proposal.rejected",
            "Hamas",
            "asserted",
        ),
        (
            "Hamas denied the attack and said it rejects the proposal.",
            "proposal.rejected",
            "Hamas",
            "asserted",
        ),
        (
            "Hamas denied, in a statement on Sunday, that it had accepted the offer.",
            "proposal.accepted",
            "Hamas",
            "negated",
        ),
        (
            "Egypt will host a new round of talks in Cairo on Sunday.",
            "talks.scheduled",
            "Egypt",
            "planned",
        ),
        (
            "Israel and Hamas reached a ceasefire deal on Wednesday.",
            "agreement.reached",
            "Hamas",
            "asserted",
        ),
        (
            "Ukraine accused Russia of violating the truce.",
            "agreement.violated",
            "Russia",
            "asserted",
        ),
        (
            "The union said it was reviewing the company's latest offer.",
            "proposal.under_review",
            "",
            "asserted",
        ),
    ],
)
def test_modality_cases(text: str, type_: str, actor: str, modality: str) -> None:
    events = events_of(text)
    if not actor:  # no named union: nothing may be invented
        assert not [e for e in events if e.type == type_]
        return
    assert find(events, type_, actor).modality == modality


def test_condition_text_is_kept() -> None:
    events = events_of(
        "Iran warned it would enrich uranium to 90 percent if the US reimposes sanctions."
    )
    threat = find(events, "threat.issued", "Iran")
    assert threat.modality == "conditional"
    assert threat.condition == "the US reimposes sanctions"


@pytest.mark.parametrize(
    "text",
    [
        "In 2023, Israel and Hamas agreed to a week-long truce.",
        "Last year, Hamas rejected a similar proposal from Egypt.",
        "Hamas had rejected an earlier Egyptian proposal in January.",
    ],
)
def test_recaps_are_not_new_events(text: str) -> None:
    assert events_of(text, published=date(2024, 5, 1)) == []


def test_should_with_a_speaker_is_an_appeal() -> None:
    events = events_of("Blinken said that Hamas should accept the agreement.")
    assert [(e.type, e.actor, e.target) for e in events] == [
        ("appeal.made", "United States", "Hamas")
    ]


def test_anonymous_sources_lower_confidence() -> None:
    named = find(
        events_of("Hamas rejected the proposal, Hamas said."), "proposal.rejected", "Hamas"
    )
    anon = find(
        events_of("Hamas rejected the proposal, according to sources close to the talks."),
        "proposal.rejected",
        "Hamas",
    )
    assert anon.attribution == "sources close to the talks"
    assert anon.confidence < named.confidence


def test_article_negotiation_key_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({
        "id": "a", "url": "https://example.org/a", "published": "2025-01-02",
        "negotiation": "my-talks", "text": "Hamas rejected the Israeli proposal on Monday.",
    }))  # fmt: skip
    extraction = extract_article(load_article(str(path)))
    assert extraction.negotiations[0] == "my-talks"
    assert extraction.events[0].source_url == "https://example.org/a"
    assert extraction.events[0].negotiations[0] == "my-talks"


def test_user_registry_adds_actors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user = tmp_path / "actors.toml"
    user.write_text('[[actors]]\nname = "Zubrowka"\nkind = "state"\naliases = ["Zubrowka"]\n')
    monkeypatch.setenv("TRACKER_ACTORS", str(user))
    assert load_registry().canonical("Zubrowka") == "Zubrowka"
    events = events_of("Zubrowka rejected the proposal on Monday.")
    assert find(events, "proposal.rejected", "Zubrowka")


def test_empty_or_eventless_text_gives_no_events() -> None:
    assert events_of("The weather in Cairo was mild on Sunday.") == []


def objects(event: NegotiationEvent) -> list[str]:
    return [t.text for t in event.terms if t.kind == "object"]


def test_seed_positions_name_their_object(seed_events: list[NegotiationEvent]) -> None:
    # "United States opposes Israel" says nothing; the object says what is opposed.
    assert objects(find(seed_events, "opposition.expressed", "United States")) == [
        "Israel's planned invasion of Rafah"
    ]
    support = objects(find(seed_events, "support.expressed", "United States"))
    assert support == ["Israel and the latest ceasefire agreement"]
    assert objects(find(seed_events, "appeal.made", "United States")) == [
        "accept a new ceasefire agreement"
    ]
    assert objects(find(seed_events, "threat.issued", "Israel")) == ["invade Rafah"]


@pytest.mark.parametrize(
    ("text", "type_", "actor", "obj"),
    [
        ("Qatar called for an immediate ceasefire on Sunday.", "demand.made", "Qatar",
         "an immediate ceasefire"),
        ("Egypt urged Hamas to release the remaining hostages, officials said.", "appeal.made",
         "Egypt", "release the remaining hostages"),
        ("Hamas demanded a complete withdrawal of Israeli troops from Gaza.", "demand.made",
         "Hamas", "a complete withdrawal of Israeli troops from Gaza"),
        ("Iran threatened to expel the inspectors.", "threat.issued", "Iran",
         "expel the inspectors"),
        ("Russia warned that it would target energy sites if Ukraine struck its ports.",
         "threat.issued", "Russia", "target energy sites"),
        ("France voiced concern over the planned offensive in Rafah.",
         "opposition.expressed", "France", "the planned offensive in Rafah"),
        ("The European Union welcomed the agreement and called for its swift implementation.",
         "support.expressed", "European Union", "the agreement"),
        ("Blinken said that Hamas should accept the agreement.", "appeal.made",
         "United States", "accept the agreement"),
    ],
)  # fmt: skip
def test_object_phrases(text: str, type_: str, actor: str, obj: str) -> None:
    assert objects(find(events_of(text), type_, actor)) == [obj]


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("Should Hamas reject the proposal, Israel would invade Rafah.",
         "Hamas rejects the proposal"),
        ("Were Hamas to expel the monitors, Israel would invade Rafah.",
         "Hamas expels the monitors"),
        ("Should the talks collapse, Israel would launch an offensive in Rafah.",
         "the talks collapse"),
        ("Should Hamas not accept the offer, Israel would invade Rafah.",
         "Hamas does not accept the offer"),
        ("If Hezbollah should violate the truce, Israel would launch strikes on Beirut.",
         "Hezbollah violates the truce"),
    ],
)  # fmt: skip
def test_condition_reads_in_the_present(text: str, condition: str) -> None:
    threats = [e for e in events_of(text) if e.type == "threat.issued"]
    assert threats and threats[0].condition == condition


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a person introduced beside their party speaks for it later in the article
        ("European Union envoy Miroslav Lajcak arrived on Monday. Lajcak urged Serbia to "
         "show flexibility.", ("appeal.made", "European Union", "Serbia")),
        # a relative clause neither dates the sentence nor supplies the actor
        ("Omani mediators, who brokered a truce between the two sides in 2022, are expected "
         "to host a new round of talks in Muscat.", ("talks.scheduled", "Oman", None)),
        # the owner of the rejected offer is its target; the speaker rejects it
        ('Hamas said Israel\'s latest position was "far from" what it needs.',
         ("proposal.rejected", "Hamas", "Israel")),
        # agreeing to something with a party is an agreement between the two
        ("Saudi Arabia agreed to a draft roadmap with Yemen's Houthis on Monday.",
         ("agreement.reached", "Saudi Arabia", "Houthis")),
        # a coordinated verb keeps the sentence subject
        ("India said the draft fell short of protecting the livelihoods of its fishing "
         "communities and demanded a longer transition period.", ("demand.made", "India", None)),
        # an organisation the registry does not know, and its short name
        ("The Riverside Nurses Association rejected the offer. Riverside Health System said it "
         "would continue bargaining on Thursday.",
         ("talks.scheduled", "Riverside Health System", None)),
    ],
)  # fmt: skip
def test_generalising_rules(text: str, expected: tuple[str, str, str | None]) -> None:
    type_, actor, target = expected
    event = find(events_of(text), type_, actor)
    assert event.target == target


@pytest.mark.parametrize(
    "text",
    [
        # a prediction of refusal is not an acceptance
        "Analysts said Pyongyang was unlikely to accept any offer while the drills continue.",
        # talks that someone wants to revive are not talks held
        "The envoy travelled in a bid to revive stalled talks between Serbia and Kosovo.",
        # "without preconditions" is no demand
        "The United States remains open to meeting Kim without preconditions.",
        # a goal is not an agreement
        "The company said it remained committed to reaching a fair agreement.",
    ],
)
def test_no_false_events(text: str) -> None:
    events = events_of(text)
    assert not [e for e in events if e.type == "proposal.accepted"]
    assert not [e for e in events if e.type in ("talks.held", "demand.made")]
    assert not [e for e in events if e.type == "agreement.reached"]
    rejected = [e for e in events if e.type == "proposal.rejected"]
    assert all(e.modality == "predicted" for e in rejected)


def test_title_only_official_speaks_for_the_datelines_state() -> None:
    events = events_of(
        "CAIRO, May 1 (Wire) - The foreign minister said on Thursday that Cairo demanded a "
        "binding agreement on the dam from Ethiopia.\n"
        "Photo: Ethiopian Prime Minister Abiy Ahmed speaks in Addis Ababa. Wire/Staff"
    )
    assert [(e.type, e.actor) for e in events] == [("demand.made", "Egypt")]


def test_first_person_quote_speaks_for_its_speaker() -> None:
    events = events_of(
        'ATHENS, May 1 (Wire) - "We reject this plan outright," Greece\'s foreign minister said.'
    )
    assert [(e.type, e.actor) for e in events] == [("proposal.rejected", "Greece")]


def test_passing_mention_of_another_negotiation_makes_no_event() -> None:
    text = (
        "ADDIS ABABA, May 1 (Wire) - Egypt rejected an Ethiopian offer on the dam.\n"
        "Egypt and Qatar on Monday urged Israel and Hamas to keep the Gaza truce."
    )
    article = Article(id="t", text=text, published=date(2025, 5, 1), negotiation="nile-dam")
    events = extract_article(article).events
    assert {(e.type, e.actor) for e in events} == {("proposal.rejected", "Egypt")}


def test_an_expected_response_is_dated_forward_from_a_monday() -> None:
    # Published Monday 3 March 2025: "by Friday" is the Friday to come, not the one before.
    review = find(
        events_of(
            "Sudan said it was studying the proposal and would respond by Friday.",
            published=date(2025, 3, 3),
        ),
        "proposal.under_review",
        "Sudan",
    )
    assert review.occurred == date(2025, 3, 7)


def test_a_threat_by_a_partys_own_members_names_the_act_and_keeps_the_number_whole() -> None:
    threat = find(
        events_of(
            "The Nile Farmers Union warned that its 4,000 members would walk off the job "
            "unless the deal protected their jobs."
        ),
        "threat.issued",
        "Nile Farmers Union",
    )
    assert threat.modality.value == "conditional"
    assert [t.text for t in threat.terms if t.kind == "object"] == ["walk off the job"]


def test_a_plainly_stated_proposal_with_terms_in_would_is_asserted() -> None:
    made = find(
        events_of(
            "Egypt proposed a trade deal to Sudan on Monday that would cut tariffs on steel "
            "and grain by half over three years.",
            published=date(2025, 3, 3),
        ),
        "proposal.made",
        "Egypt",
    )
    assert (made.modality.value, made.occurred) == ("asserted", date(2025, 3, 3))

"""What a story is about and who speaks in it: routing to a seeded negotiation only when its
parties are the story's subject, and commentators' quotes only beside the commentator, in
prose written here (a story's paragraphs may run together, as in some feeds' text)."""

from __future__ import annotations

from datetime import date

from tracker.article import Article
from tracker.extract import extract_article


def _extract(text: str) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    found = extract_article(Article(id="t", text=text, published=date(2025, 5, 1)))
    return found.negotiations, [(e.type, e.actor) for e in found.events]


def test_two_parties_named_in_passing_do_not_route_the_story() -> None:
    story = (
        "India and Mauritius signed eight agreements on Wednesday to deepen maritime "
        "cooperation. Indian Prime Minister Narendra Modi met Mauritian Prime Minister Navin "
        "Ramgoolam in Port Louis. India has funded a coast guard station in Mauritius, and "
        "Mauritius buys Indian rice. Modi called India a friend of Mauritius. China has "
        "expanded its trade in the Indian Ocean, and Chinese research ships call at Port Louis. "
        "Both leaders also reaffirmed their commitment to an open Indian Ocean. The United "
        "States keeps a base at Diego Garcia, and U.S. officials welcomed the visit."
    )
    negotiations, events = _extract(story)
    assert "us-china-trade" not in negotiations
    assert ("agreement.reached", "India") in events
    assert not {actor for _, actor in events} & {"United States", "China"}


def test_the_parties_a_story_is_about_still_route_it() -> None:
    negotiations, _ = _extract(
        "China and the United States held trade talks in Geneva on Monday. Chinese officials "
        "said tariffs must fall. The United States said China had to buy more soybeans."
    )
    assert "us-china-trade" in negotiations


def test_a_commentators_quotes_are_only_those_beside_the_commentator() -> None:
    # One paragraph, as when a feed runs them together: the analyst's quote is the analyst's,
    # the minister's quote five sentences on is still the minister's appeal.
    story = (
        'Serbia and Kosovo held talks in Brussels on Monday. "Nobody expects a breakthrough," '
        "said an analyst at a Belgrade think tank. Talks have stalled for months. The sides "
        "met for four hours. The next round is not yet set. The envoy left for Washington. "
        'Kosovo Prime Minister Albin Kurti said: "We urge Serbia to recognise our documents."'
    )
    _, events = _extract(story)
    assert ("appeal.made", "Kosovo") in events


def test_more_about_the_storys_own_deal_is_no_aside() -> None:
    _, events = _extract(
        "Britain and Mauritius agreed a deal on the Chagos Islands on Monday. The proposed "
        "deal also has the backing of India, a close partner of Mauritius."
    )
    assert ("support.expressed", "India") in events


def test_a_passing_mention_of_another_negotiation_reaches_only_a_few_sentences() -> None:
    # One paragraph: a word on US-China trade early on does not put the story's last
    # sentence, five sentences on, out of scope.
    _, events = _extract(
        "The European Union and Brazil are close to a trade deal that worries farmers in "
        "Africa. The European Union says the deal with Brazil will cut tariffs on chicken. "
        "China and the United States are locked in a trade war that has raised feed prices. "
        "Farmers say costs have doubled. Many have closed their farms. Prices of eggs have "
        "risen by half. Shops have run out of chicks. Cameroon's livestock ministry says it "
        "is negotiating with Brazil to import eggs."
    )
    assert ("talks.held", "Cameroon") in events

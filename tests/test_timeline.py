"""The timeline groups reports of one happening from different articles (domain, no database)."""

from __future__ import annotations

from datetime import date

from projection_helpers import NEGOTIATION, event, facts

from tracker.events import NegotiationEvent
from tracker.projections.timeline import group


def report(article: str, day: int, sentence: str, url: str, **fields: object) -> NegotiationEvent:
    return event(
        "proposal.rejected",
        "Southland",
        sentence,
        target="Northland",
        article_id=article,
        published=date(2025, 3, day),
        source_url=url,
        **fields,
    )


def test_one_happening_told_by_three_articles_is_one_entry_with_its_sources() -> None:
    told = [
        report("a1", 1, "Southland rejected the offer on Saturday.", "https://one.example/a1"),
        report("a2", 2, "Southland said no to Northland's plan.", "https://www.two.example/a2"),
        report("a3", 3, "Officials confirmed the rejection.", "https://one.example/a3"),
    ]
    [entry] = group(NEGOTIATION, facts(told))
    assert entry.sources == 2  # two outlets: one.example twice is not independent
    assert entry.source_names == ["one.example", "two.example"]
    assert [line.text for line in entry.evidence] == [
        "Southland rejected the offer on Saturday.",
        "Southland said no to Northland's plan.",
        "Officials confirmed the rejection.",
    ]
    assert entry.date == date(2025, 3, 1) and entry.articles == ["a1", "a2", "a3"]


def test_reports_too_far_apart_or_differently_framed_are_separate_entries() -> None:
    told = [
        report("a1", 1, "Southland rejected the offer.", "https://one.example/a1"),
        report("a2", 9, "Southland rejected the new offer.", "https://two.example/a2"),
        report(
            "a3",
            1,
            "Southland will likely reject it.",
            "https://two.example/a3",
            modality="predicted",
        ),
        event(
            "proposal.rejected",
            "Eastland",
            "Eastland rejected it too.",
            target="Northland",
            article_id="a4",
            published=date(2025, 3, 1),
        ),
    ]
    entries = group(NEGOTIATION, facts(told))
    assert len(entries) == 4
    assert [e.sources for e in entries] == [1, 1, 1, 1]
    assert [e.date for e in entries] == sorted(e.date for e in entries)


def test_one_article_telling_two_such_events_keeps_two_entries() -> None:
    told = [
        report("a1", 1, "Southland rejected the first draft.", "https://one.example/a1"),
        report("a1", 1, "Days later Southland rejected a second draft.", "https://one.example/a1"),
    ]
    assert len(group(NEGOTIATION, facts(told))) == 2


def test_an_event_in_two_negotiations_has_an_entry_in_each() -> None:
    [fact] = facts([report("a1", 1, "Southland rejected it.", "https://one.example/a1")])
    first, second = group("north", [fact]), group("south", [fact])
    assert first[0].id != second[0].id

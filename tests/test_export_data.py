"""Hand-made events that mirror the seed article (what extraction should find in it), and a
second article whose text is hostile markup, for the export and browser tests.

Holds no tests: tests/test_export*.py and tests/test_browser*.py import it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tracker.codec import encode
from tracker.events import (
    AppealMade,
    ArticleIngested,
    Evidence,
    Modality,
    NegotiationEvent,
    OppositionExpressed,
    ProposalMade,
    ProposalRejected,
    ProposalUnderReview,
    SupportExpressed,
    TalksScheduled,
    Term,
    ThreatIssued,
)
from tracker.services import article_stream
from tracker.store.base import NEW_STREAM, EventStore

SEED_ARTICLE = Path(__file__).resolve().parent.parent / "seeds" / "000_46a520fc1d27543f.txt"
SEED_TEXT = SEED_ARTICLE.read_text(encoding="utf-8")
SEED_ID = "000_46a520fc1d27543f"
SEED_URL = "https://example.org/blinken-calls-on-hamas"
NEGOTIATION = "israel-hamas-ceasefire"
PUBLISHED = date(2024, 4, 30)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_ID = "hostile-markup"
HOSTILE_TEXT = f"Egypt said talks would resume {SCRIPT} in Cairo {IMG} next week."


def sentence(text: str, opening: str) -> Evidence:
    """The sentence of `text` that begins with `opening`, with its span."""
    start = text.index(opening)
    end = text.index(".", start) + 1
    return Evidence(text=text[start:end], start=start, end=end)


def seed_events() -> list[NegotiationEvent]:
    common = {
        "negotiations": (NEGOTIATION,),
        "article_id": SEED_ID,
        "published": PUBLISHED,
        "source_url": SEED_URL,
    }
    ev = lambda opening: (sentence(SEED_TEXT, opening),)  # noqa: E731
    return [
        AppealMade(
            actor="United States",
            person="Antony Blinken",
            target="Hamas",
            evidence=ev("The United States Secretary of State"),
            **common,
        ),
        ProposalMade(
            actor="Israel",
            target="Hamas",
            via=("Egypt",),
            terms=(Term(text="over 30 hostages", kind="hostage_release", quantity=30),),
            evidence=ev("Israel initiated the latest"),
            **common,
        ),
        ProposalRejected(
            actor="Hamas",
            target="Israel",
            modality=Modality.PREDICTED,
            evidence=ev("Despite Blinken"),
            **common,
        ),
        ProposalUnderReview(
            actor="Hamas", target="Israel", evidence=ev("Hamas hasn’t outright"), **common
        ),
        TalksScheduled(
            actor="Hamas",
            location="Cairo",
            via=("Egypt",),
            modality=Modality.PLANNED,
            evidence=ev("Hamas hasn’t outright"),
            **common,
        ),
        ThreatIssued(
            actor="Israel",
            target="Hamas",
            location="Rafah",
            modality=Modality.CONDITIONAL,
            condition="Hamas rejects the proposal",
            attribution="Israeli officials",
            evidence=ev("Although Israel claims"),
            **common,
        ),
        SupportExpressed(
            actor="United States", target="Israel", evidence=ev("Although the Biden"), **common
        ),
        OppositionExpressed(
            actor="United States",
            person="Antony Blinken",
            target="Israel",
            location="Rafah",
            evidence=ev("Although the Biden"),
            **common,
        ),
    ]


def hostile_events() -> list[NegotiationEvent]:
    """A later article whose evidence is markup: the export must show it as text."""
    return [
        TalksScheduled(
            actor="Egypt",
            target=f"Hamas {IMG}",
            location="Cairo",
            modality=Modality.PLANNED,
            evidence=(Evidence(text=HOSTILE_TEXT, start=0, end=len(HOSTILE_TEXT)),),
            negotiations=(NEGOTIATION,),
            article_id=HOSTILE_ID,
            published=date(2024, 5, 2),
            source_url="javascript:alert(1)",
        )
    ]


def append_article(
    store: EventStore,
    article_id: str,
    title: str,
    published: date,
    url: str | None,
    events: list[NegotiationEvent],
) -> None:
    """What `tracker ingest` appends for an article, with our events in place of extraction's."""
    ingested = ArticleIngested(
        article_id=article_id,
        url=url,
        title=title,
        published=published,
        publisher="test",
        content_sha256="0" * 64,
        negotiations=(NEGOTIATION,),
    )
    batch = [encode(ingested), *(encode(event) for event in events)]
    store.append(article_stream(article_id), batch, expected_version=NEW_STREAM)


def fill_seed(store: EventStore, hostile: bool = True) -> None:
    title = SEED_TEXT.splitlines()[0]
    append_article(store, SEED_ID, title, PUBLISHED, SEED_URL, seed_events())
    if hostile:
        append_article(
            store, HOSTILE_ID, f"Talks {SCRIPT}", date(2024, 5, 2), None, hostile_events()
        )

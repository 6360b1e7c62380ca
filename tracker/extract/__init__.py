"""Article -> events. The pipeline (pipeline.py) runs: normalise (with a map back to the
text as given), sentences, mentions from the actor registry, triggers from the catalog,
roles, modality and conditions, attribution, terms, recap filter, dedup, routing."""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.article import Article
from tracker.events import NegotiationEvent


@dataclass(frozen=True)
class Extraction:
    negotiations: tuple[str, ...] = ()
    events: list[NegotiationEvent] = field(default_factory=list)


def extract_article(article: Article) -> Extraction:
    from tracker.extract.pipeline import extract_events

    negotiations, events = extract_events(article)
    return Extraction(negotiations=negotiations, events=events)

"""Article -> events. (Placeholder until the extraction issue lands: finds nothing.)"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.article import Article
from tracker.events import NegotiationEvent


@dataclass(frozen=True)
class Extraction:
    negotiations: tuple[str, ...] = ()
    events: list[NegotiationEvent] = field(default_factory=list)


def extract_article(article: Article) -> Extraction:
    return Extraction()

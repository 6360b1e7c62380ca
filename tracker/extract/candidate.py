"""An event as the extractor first reads it (Candidate: mutable, offsets in the normalised
text, evidence as spans) and how it becomes a NegotiationEvent (build_event: spans mapped
back to the text as given, fields validated by the event model). Later steps (dedup,
targets, terms) edit candidates in place; only the finished ones are built."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tracker.article import Article
from tracker.events import EVENT_CLASSES, Evidence, NegotiationEvent, Term
from tracker.extract.normalise import Normalised
from tracker.extract.registry import Registry


@dataclass
class Candidate:
    type: str
    actor: str
    person: str | None
    target: str | None
    via: list[str]
    location: str | None
    modality: str
    condition: str | None
    attribution: str | None
    terms: list[Term]
    evidence: list[tuple[int, int]]  # spans in the normalised text
    confidence: float
    occurred: date | None = None
    trigger: str = ""
    at: int = -1  # where the trigger starts in the sentence
    extra: dict[str, str] = field(default_factory=dict)


def build_event(
    c: Candidate,
    norm: Normalised,
    article: Article,
    negotiations: tuple[str, ...],
    registry: Registry,
) -> NegotiationEvent:
    evidence = []
    for start, end in sorted(c.evidence):
        a, b = norm.original_span(start, end)
        evidence.append(Evidence(text=article.text[a:b], start=a, end=b))
    cls = EVENT_CLASSES[c.type]
    event = cls.model_validate(
        {
            "type": c.type,
            "actor": c.actor,
            "person": c.person,
            "target": c.target,
            "via": tuple(c.via),
            "location": c.location,
            "modality": c.modality,
            "condition": c.condition,
            "attribution": c.attribution,
            "terms": tuple(c.terms),
            "evidence": tuple(evidence),
            "confidence": round(c.confidence, 2),
            "negotiations": negotiations,
            "article_id": article.id,
            "published": article.published,
            "occurred": c.occurred,
            "source_url": article.url,
            "unregistered": unregistered(c, registry),
        }
    )
    assert isinstance(event, NegotiationEvent)
    return event


def unregistered(c: Candidate, registry: Registry) -> tuple[str, ...]:
    """The parties of a candidate the registry does not know (a new union, ministry or
    company named in the article), in the order actor, target, via."""
    names = (c.actor, c.target, *c.via)
    return tuple(dict.fromkeys(n for n in names if n and registry.resolve(n) is None))

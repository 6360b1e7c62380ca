"""Article -> events. pipeline.py runs the steps, in order:

- normalise.py: quotes, dashes and spaces made plain, with a map back to the text as given
- passing.py: page furniture, asides about another matter, commentators' views
- sentences.py: sentence (and paragraph) spans
- registry.py, speakers.py: mentions of parties, people, officials, pronouns, quotes
- routing.py: which seeded negotiations the article is about
- sides.py: the article's two sides, and paragraphs about another negotiation
- sentence_events.py: one sentence's triggers (triggers.py) read for mood and recap
  (cues.py), roles and the type-changing rules -> candidates (candidate.py)
- parse.py, frames.py, frame_lexicon.py (events/frames.toml), frame_events.py: the spaCy
  dependency parse of the sentences worth parsing, read as clause frames -> candidates
- parse_check.py: the trigger rules' candidates checked against the parse
- conversions.py: the rules that turn one reading into another type or modality
- roles.py, subjects.py: actor, target, mediators, place; where a party stands in a clause
- objects.py, terms.py, dates.py: what is proposed, its terms, when it happens
- merge.py: terms told in their own sentence, and the same event told twice, merged
- targets.py: targets the sentence leaves unsaid
- candidate.py: candidates built into NegotiationEvents
- scoring.py: extracted events scored against gold (tracker eval)"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from tracker.article import Article
from tracker.definitions import Definitions
from tracker.events import NegotiationEvent


@dataclass(frozen=True)
class Extraction:
    negotiations: tuple[str, ...] = ()
    events: list[NegotiationEvent] = field(default_factory=list)


class Extractor(Protocol):
    """Article in, events out: what the use cases call. `version` names the rules and data
    that produced an extraction, so a store can tell which events a newer one would redo."""

    version: str

    def extract(self, article: Article) -> Extraction: ...


class ParseExtractor:
    """Trigger rules and registry over the text, clause frames over a dependency parse of the
    sentences worth parsing (pipeline.py). The parser loads on first use, never on import."""

    version = "parse-frames-1"

    def extract(self, article: Article) -> Extraction:
        from tracker.extract.pipeline import extract_events

        negotiations, events = extract_events(article)
        return Extraction(negotiations=negotiations, events=events)


DEFAULT = ParseExtractor()


def extract_article(article: Article, extractor: Extractor = DEFAULT) -> Extraction:
    return extractor.extract(article)


@contextmanager
def definitions_in_use(definitions: Definitions) -> Iterator[None]:
    """The negotiations and actors a store defines, read after the seeds by the registry and
    routing of every extraction inside the block (the use cases wrap `extract` in it)."""
    from tracker.extract.registry import store_actors
    from tracker.extract.routing import store_negotiations

    actors, negotiations = store_actors.set(definitions.actors), store_negotiations.set(definitions)
    try:
        yield
    finally:
        store_actors.reset(actors)
        store_negotiations.reset(negotiations)

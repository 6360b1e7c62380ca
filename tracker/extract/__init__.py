"""Article -> events. pipeline.py runs the steps, in order:

- normalise.py: quotes, dashes and spaces made plain, with a map back to the text as given
- passing.py: page furniture, asides about another matter, commentators' views
- sentences.py: sentence (and paragraph) spans
- registry.py, speakers.py: mentions of parties, people, officials, pronouns, quotes
- routing.py: which seeded negotiations the article is about
- sides.py: the article's two sides, and paragraphs about another negotiation
- sentence_events.py: one sentence's triggers (triggers.py) read for mood and recap
  (cues.py), roles and the type-changing rules -> candidates (candidate.py)
- roles.py, subjects.py: actor, target, mediators, place; where a party stands in a clause
- objects.py, terms.py, dates.py: what is proposed, its terms, when it happens
- merge.py: terms told in their own sentence, and the same event told twice, merged
- targets.py: targets the sentence leaves unsaid
- candidate.py: candidates built into NegotiationEvents
- scoring.py: extracted events scored against gold (tracker eval)"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.article import Article
from tracker.definitions import Definitions
from tracker.events import NegotiationEvent


@dataclass(frozen=True)
class Extraction:
    negotiations: tuple[str, ...] = ()
    events: list[NegotiationEvent] = field(default_factory=list)


def extract_article(article: Article, definitions: Definitions | None = None) -> Extraction:
    """`definitions`: the negotiations and actors a store defines, read after the seeds (the
    registry and routing see them for the duration of this call only)."""
    from tracker.extract.pipeline import extract_events
    from tracker.extract.registry import store_actors
    from tracker.extract.routing import store_negotiations

    given = definitions or Definitions()
    actors, negotiations_ = store_actors.set(given.actors), store_negotiations.set(given)
    try:
        negotiations, events = extract_events(article)
    finally:
        store_actors.reset(actors)
        store_negotiations.reset(negotiations_)
    return Extraction(negotiations=negotiations, events=events)

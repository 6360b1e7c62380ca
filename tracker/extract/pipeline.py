"""Article -> events, the orchestration: normalise, drop page furniture and the repeated
headline, find mentions (registry, learned people, officials, pronouns, quotes), set
aside asides and commentary, route, settle the two sides, read each sentence
(sentence_events.py), keep what is in scope, attach terms, merge the same event told
twice, fill unsaid targets, and build the events against the text as given."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter

from tracker.article import Article
from tracker.events import NegotiationEvent
from tracker.extract.candidate import Candidate, build_event
from tracker.extract.frame_events import (
    Context,
    acronyms,
    frame_events,
    without_dateline,
)
from tracker.extract.frame_lexicon import load_lexicon
from tracker.extract.merge import attach_terms, dedup
from tracker.extract.normalise import normalise
from tracker.extract.owed import owed_events
from tracker.extract.parse import parse
from tracker.extract.parse_check import checked, governing_verb, with_frame_moods
from tracker.extract.passing import asides, blank, commentary, page_furniture
from tracker.extract.registry import Mention, learn_people, load_registry, prefer_parties
from tracker.extract.routing import parties_of, route
from tracker.extract.sentence_events import sentence_events
from tracker.extract.sentences import Sentence, passages, split_sentences
from tracker.extract.sides import (
    foreign_negotiations,
    in_scope,
    most_named,
    named_up_front,
    side_pair,
)
from tracker.extract.speakers import dateline_country, officials, pronouns, quoted
from tracker.extract.targets import fill_targets
from tracker.extract.verdicts import verdict_events
from tracker.extract.warned import warned_events


def extract_events(article: Article) -> tuple[tuple[str, ...], list[NegotiationEvent]]:
    registry = load_registry()
    norm = normalise(article.text)
    text = norm.text
    places = registry.places_in(text)
    furniture = page_furniture(text)
    mentions = [
        m for m in registry.mentions(text) if not any(a <= m.start < b for a, b in furniture)
    ]
    mentions = learn_people(text, mentions, registry)
    mentions = officials(text, mentions, places, registry)
    mentions = pronouns(text, quoted(text, mentions))
    sentences = split_sentences(text)
    sentences = [x for x in sentences if not any(a <= x.start < b for a, b in furniture)]
    if sentences and article.title and _same(sentences[0].text, article.title):
        sentences = sentences[1:]  # the headline repeats the story in title case
    # An aside about another matter says nothing of what the article is about.
    aside = asides(text, sentences, mentions)
    aside_starts = {x.start for x in aside}
    around = passages(text, sentences)  # the sentences near each one, in its paragraph
    spoken = commentary(sentences, around)
    on_topic = [m for m in mentions if not any(x.start <= m.start < x.end for x in aside)]
    negotiations = route(blank(text, aside), Counter(m.actor for m in on_topic if m.actor))
    given = article.negotiation
    if isinstance(given, str) and given:
        negotiations = (given, *(n for n in negotiations if n != given))
    # "both sides" are the article's own pair when it names one within the negotiation.
    pair = side_pair(text, mentions)
    # An article that says what it is about is about that negotiation alone: the parties of
    # another one it happens to route to are not "both sides".
    parties = parties_of((given,) if isinstance(given, str) and given else negotiations)
    top = most_named(on_topic)
    if pair and not parties and top and top[0] not in pair:
        pair = top  # the subject pair of a side paragraph, not the story's two sides
    if pair and (not parties or set(pair) <= set(parties)):
        parties = pair
    if not parties:
        parties = most_named(mentions)
    mentions = prefer_parties(mentions, parties, registry)
    foreign = foreign_negotiations(negotiations[:1], parties)
    found_by: dict[int, list[Candidate]] = {}
    for sentence in sentences:
        in_sentence = [m for m in mentions if sentence.start <= m.start < sentence.end]
        found_by[sentence.start] = sentence_events(
            sentence, in_sentence, places, registry, article.published, parties
        )
    # The parse reads every sentence that holds a predicate of events/frames.toml; what its
    # frames find beyond the trigger rules' events (another type or party) is added.
    lexicon = load_lexicon()
    # "Talks resumed" is the two sides' only when the article names them up front.
    sides = parties if named_up_front(parties, mentions, sentences) else ()
    worth = [x for x in sentences if found_by[x.start] or lexicon.worth_parsing(x.text)]
    spelled = acronyms(text)
    home = dateline_country(text, registry) or _dominant_state(on_topic)
    before = _last_naming(sentences, mentions)
    texts = [without_dateline(x.text) for x in worth]
    for sentence, parsed in zip(worth, parse(texts), strict=True):
        previous = before.get(sentence.start, 0)
        context = Context(
            mentions, places, registry, spelled, sentence, previous, sides, text, home
        )
        ruled = checked(found_by[sentence.start], parsed[:], context)
        seen = {(c.type, c.actor) for c in ruled}
        framed = frame_events(parsed[:], context, article.published)
        framed += owed_events(parsed[:], context, article.published)
        framed += warned_events(parsed[:], context, article.published)
        framed += verdict_events(parsed[:], context, article.published)
        ruled = with_frame_moods(ruled, framed, parsed[:])
        found_by[sentence.start] = ruled
        fresh = [c for c in framed if (c.type, c.actor) not in seen]
        verbs = {governing_verb(parsed[:], c.at) for c in ruled}  # "tabled a counter-offer"
        ruled.extend(c for c in fresh if not _same_verb(c, ruled) and c.at not in verbs)
    candidates: list[Candidate] = []
    for sentence in sentences:
        found = found_by[sentence.start]
        if sentence.start in aside_starts and parties:
            # Only what passes between the article's own sides, or is done to one of them
            # ("Japan also expressed support for the Philippines"), survives an aside.
            found = [c for c in found if c.target in parties or (
                c.actor in parties and (c.target or c.actor) in parties)]  # fmt: skip
        if sentence.start in spoken:
            found = [c for c in found if c.modality == "predicted"]
        passage = around[sentence.start]
        candidates.extend(in_scope(found, text, passage, mentions, parties, foreign))
    attach_terms(candidates, sentences, mentions)
    for c in candidates:  # "the Baloch Liberation Army (BLA)": the name, not the letters
        c.actor = spelled.get(c.actor, c.actor)
        c.target = spelled.get(c.target, c.target) if c.target else None
    merged = dedup(candidates)
    fill_targets(merged, sides)
    events = [build_event(c, norm, article, negotiations, registry) for c in merged]
    return negotiations, events


def _dominant_state(mentions: list[Mention]) -> str | None:
    """With no dateline, the state the story names at least twice as often as any other
    ("the military" in a story on a Pakistani train siege is Pakistan's)."""
    counts = Counter(m.actor for m in mentions if m.actor and m.kind == "state")
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] < 2 * ranked[1][1]):
        return None
    return ranked[0][0] if ranked[0][1] >= 2 else None


def _last_naming(sentences: list[Sentence], mentions: list[Mention]) -> dict[int, int]:
    """For each sentence, the start of the last sentence before it that names a party: "The
    EU's executive arm has proposed a plan. It includes loans. It has also proposed ...":
    the second "It" continues the arm, which the sentence between does not name."""
    named = sorted(m.start for m in mentions if not m.anaphor)
    out: dict[int, int] = {}
    last = 0
    for sentence in sentences:
        out[sentence.start] = last
        at = bisect_left(named, sentence.start)
        if at < len(named) and named[at] < sentence.end:
            last = sentence.start
    return out


def _same_verb(framed: Candidate, ruled: list[Candidate]) -> bool:
    """A verb the trigger rules read already as another type ("rejected") is theirs: the
    frame's reading would be a second one of one act."""
    return any(framed.trigger in c.trigger.split() and framed.type != c.type for c in ruled)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).lower() == " ".join(normalise(b).text.split()).lower()

"""Who the article's two sides are, and what lies outside its story: the pair it names
("X and Y" as a subject, or the two parties it names most) so that "both sides" resolves
and a lone side's move can face the other; and paragraphs about another negotiation the
seeds define, whose events belong to that one. Read once per article."""

from __future__ import annotations

import itertools
import re

from tracker.extract.candidate import Candidate
from tracker.extract.registry import Mention
from tracker.extract.routing import load_negotiations, parties_of
from tracker.extract.sentences import Sentence
from tracker.extract.subjects import JOINT_HEAD


def most_named(mentions: list[Mention]) -> tuple[str, ...]:
    """With no pair named, the two parties the article names most (twice at least)."""
    counts: dict[str, int] = {}
    for m in mentions:
        if m.actor and m.kind in ("state", "organisation"):
            counts[m.actor] = counts.get(m.actor, 0) + 1
    top = sorted(counts, key=lambda a: -counts[a])[:2]
    return tuple(top) if len(top) == 2 and counts[top[1]] >= 2 else ()


def side_pair(text: str, mentions: list[Mention]) -> tuple[str, ...]:
    """The two sides of a negotiation the seeds do not define: an "X and Y" (or "between X
    and Y") of two named parties as a subject, so that "both sides" can still resolve; of
    several, the pair the article names most ("Venezuela's government and the opposition
    Unitary Platform", not the "Colombia and the ELN" of a passing paragraph)."""
    named = [m for m in mentions if m.actor and not m.anaphor]
    counts: dict[str, int] = {}
    for m in named:
        counts[m.actor] = counts.get(m.actor, 0) + 1
    pairs: list[tuple[str, str]] = []
    for a, b in itertools.pairwise(named):
        if (
            a.actor != b.actor
            and (
                re.fullmatch(r"\s+and\s+(?:the\s+)?", text[a.end : b.start])
                or (a.text.endswith("'s") and JOINT_HEAD.fullmatch(text[a.end : b.start]))
            )
            and _PAIR_LEFT.search(text[max(0, a.start - 40) : a.start])
        ):
            pairs.append((a.actor, b.actor))
    if not pairs:
        return ()
    return max(pairs, key=lambda p: counts[p[0]] + counts[p[1]])


# The pair opens a sentence (after any dateline) or follows "between".
_PAIR_LEFT = re.compile(
    r"(?:^|\n|[.!?]\s+|\(\w+\)\s+-\s+|\b(?:between|of|after|that|when|as|while|since)\s+)"
    r"(?:[Tt]he\s+)?$"
)


def named_up_front(
    parties: tuple[str, ...], mentions: list[Mention], sentences: list[Sentence]
) -> bool:
    """The two sides of a story are named in its first sentences; a pair first named
    further down (a passing "Egypt and Qatar urged ...") is not what the story is about."""
    if len(parties) != 2 or not sentences:
        return False
    cutoff = sentences[min(3, len(sentences) - 1)].end
    named = {m.actor for m in mentions if m.start < cutoff and m.actor}
    return bool(set(parties) & named)


def foreign_negotiations(
    primary: tuple[str, ...], parties: tuple[str, ...]
) -> list[tuple[frozenset[str], re.Pattern[str]]]:
    """The other negotiations the seeds define, each as the parties it does not share with
    this one and its keywords."""
    here = set(parties) | set(parties_of(primary))
    for n in load_negotiations():
        if n.id in primary:
            here |= set(n.mediators)
    return [
        (frozenset(n.parties), n.keyword_re)
        for n in load_negotiations()
        if n.id not in primary and n.keyword_re is not None and set(n.parties) - here
    ]


def in_scope(
    found: list[Candidate],
    text: str,
    passage: tuple[int, int],
    mentions: list[Mention],
    parties: tuple[str, ...],
    foreign: list[tuple[frozenset[str], re.Pattern[str]]],
) -> list[Candidate]:
    """A passing mention of another negotiation makes no event for this one. A passage (the
    sentence's paragraph, sentences.passages) that names two parties of another negotiation
    and one of its keywords ("Egypt and Qatar urged Israel and Hamas to return to talks on
    the Gaza truce") is about that one: its events by or aimed at those parties go, and so
    do a bystander's there."""
    if not found or not foreign:
        return found
    para_start, para_end = passage
    named = {m.actor for m in mentions if para_start <= m.start < para_end and not m.anaphor}
    paragraph = text[para_start:para_end]
    away: set[str] = set()
    for other, keywords in foreign:
        if len(named & other) >= 2 and keywords.search(paragraph):
            away |= other - set(parties)
    if not away:
        return found
    spans = {tuple(c.evidence) for c in found if c.actor in away}
    return [
        c
        for c in found
        if c.actor not in away
        and c.target not in away
        and tuple(c.evidence) not in spans  # "X and Chinese officials will resume their talks"
        and c.actor in parties
    ]

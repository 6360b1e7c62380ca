"""A speaker's verdict on a proposal, read on the parse: "the company's offer falls short of
our demands, Fain said" and "the plan is unacceptable, the ministry said" are the speaker's
rejection of the offer's owner's proposal, not an act of the offer. The verdict words are
data (events/frames.toml [verdicts])."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from tracker.extract.candidate import Candidate
from tracker.extract.cues import is_recap
from tracker.extract.frame_events import Context, actors_of, framed, own_clause
from tracker.extract.frame_lexicon import Lexicon, load_lexicon
from tracker.extract.frames import aside, speaker_of

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


def verdict_events(parsed: Span, context: Context, published: date | None) -> list[Candidate]:
    lexicon = load_lexicon()
    out: list[Candidate] = []
    for verb in parsed:
        judged = verdict_on(verb, lexicon)
        if judged is None or aside(verb, lexicon):
            continue
        by = speaker_of(verb, lexicon)
        speaker = actors_of((by,), context, lexicon) if by is not None else []
        if not speaker:
            continue  # the reporter's own judgment is no party's answer
        if is_recap(own_clause(parsed, verb, context.sentence.text), verb.idx, published, True):
            continue
        owners = [c for c in judged.children if c.dep_ == "poss"]
        target = next(
            (a for a in actors_of(tuple(owners), context, lexicon) if a != speaker[0]), None
        )
        type_ = (
            "proposal.rejected"
            if judged.lemma_.lower() in lexicon.words["proposal_nouns"]
            else "opposition.expressed"
        )
        out.append(
            framed(context, type_, speaker[0], target, "asserted", None, verb, published, False)
        )
    return out


def verdict_on(verb: Token, lexicon: Lexicon) -> Token | None:
    """The proposal a clause judges wanting ("the offer falls short", "the plan is a
    non-starter", "the offer does not go far enough"), or None; a negated verdict ("is not
    unacceptable") judges nothing."""
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    if any(c.dep_ == "neg" for c in verb.children):
        wanting = {
            " ".join([verb.lemma_.lower(), *(t.lower_ for t in c.subtree)])
            for c in verb.children
            if c.dep_ == "advmod"
        }
        if not wanting & lexicon.words["rejecting_negated"]:
            return None
    elif not any(_verdict_word(verb, c, lexicon) for c in verb.children):
        return None
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    judged = lexicon.words["proposal_nouns"] | lexicon.words["content_nouns"]
    return next((s for s in subjects if s.lemma_.lower() in judged), None)


def in_verdict(token: Token, lexicon: Lexicon) -> bool:
    """Whether a word is part of a verdict: its verb, its words ("non-starter"), or what it
    measures the proposal against ("our demands" in "falls short of our demands": named
    there, not made there)."""
    if verdict_on(token, lexicon) is not None:
        return True
    for node in (token, *token.ancestors):
        if node.head != node and _verdict_word(node.head, node, lexicon):
            return verdict_on(node.head, lexicon) is not None
    return False


def _verdict_word(verb: Token, child: Token, lexicon: Lexicon) -> bool:
    """Whether a child of the verb says the verdict: "short" of "falls short", "unacceptable"
    or "a non-starter" after "is" (the tagger may split "non-starter" into three words)."""
    words = lexicon.words["rejecting"]
    lemma = verb.lemma_.lower()
    if child.dep_ in ("advmod", "acomp", "prt") and f"{lemma} {child.lower_}" in words:
        return True
    if lemma != "be" or child.dep_ not in ("acomp", "attr"):
        return False
    said = [c for c in verb.children if c.dep_ in ("acomp", "attr")]
    first, last = min(c.left_edge.i for c in said), max(c.i for c in said)
    phrase = "".join(t.text_with_ws for t in verb.doc[first : last + 1] if t.dep_ != "det")
    return phrase.strip().lower() in words or child.lemma_.lower() in words

"""What one party says another must, should or needs to do, read on the parse: the speaker's
appeal ("Kabul said the insurgents must return to the table", "the envoy called for the
Taliban to lift the ban", "Scholz said talks with China must continue"), or, for what the
other "needs to" do, the speaker's demand. The clause itself is no act of its subject."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from tracker.extract.candidate import Candidate
from tracker.extract.cues import is_recap
from tracker.extract.frame_events import Context, actors_of, framed, own_clause
from tracker.extract.frame_lexicon import Lexicon, load_lexicon
from tracker.extract.frames import aside, obliged, predicate_of, speaker_of, subjects_of

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


def owed_events(parsed: Span, context: Context, published: date | None) -> list[Candidate]:
    lexicon = load_lexicon()
    out: list[Candidate] = []
    for verb in parsed:
        found = _owed(verb, lexicon) if verb.pos_ in ("VERB", "AUX") else None
        if found is None:
            continue
        type_, clause, by, subjects = found
        if aside(clause, lexicon) or by is None:
            continue
        if clause.dep_ == "ccomp" and predicate_of(clause.head, lexicon) is not None:
            continue  # "insisted that Armenia must change ...": that verb's demand already
        speaker = actors_of((by,), context, lexicon)
        if not speaker:
            continue
        talks = [t for t in subjects if t.lemma_.lower() in lexicon.words["talk_nouns"]]
        if talks:  # "talks with China must continue": the speaker's call to keep talking
            owners = tuple(o for t in talks for o in _with(t))
            targets = actors_of(owners, context, lexicon)
        elif any(t.lower_ in ("i", "we") for t in subjects):
            continue  # "we need to be firm": the speaker's own resolve
        else:
            targets = actors_of(tuple(subjects), context, lexicon)
            if not targets or speaker[0] in targets:
                continue  # the speaker's own resolve, or no party named
        if is_recap(own_clause(parsed, verb, context.sentence.text), verb.idx, published, True):
            continue
        target = next((t for t in targets if t != speaker[0]), None)
        out.append(
            framed(context, type_, speaker[0], target, "asserted", None, verb, published, False)
        )
    return out


def _owed(verb: Token, lexicon: Lexicon) -> tuple[str, Token, Token | None, list[Token]] | None:
    """(type, the clause that carries it, who says so, who owes it) for a clause of
    obligation, else None."""
    words = lexicon.words
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if obliged(verb, lexicon):
        if verb.dep_ == "conj" and obliged(verb.head, lexicon):
            return None  # "must stop ... and return": one appeal, read at its first verb
        return "appeal.made", verb, speaker_of(verb, lexicon), subjects_of(verb)
    head = verb.head
    lemma = head.lemma_.lower()
    if verb.dep_ == "xcomp" and lemma in words["needing_heads"] and head.pos_ == "VERB":
        return "demand.made", head, speaker_of(head, lexicon), subjects_of(head)
    if (
        verb.dep_ == "advcl"
        and _held_until(verb, head, lexicon)
        and not predicate_of(head, lexicon)
    ):
        # "would not discuss the plates until Serbia recognised its documents": what Serbia
        # must do first, the demand of who holds back (an act of the lexicon held back
        # carries the clause itself: "will not support an invasion until ..." is opposition)
        holders = subjects_of(head)
        return "demand.made", head, holders[0] if holders else None, subjects
    marked = any(c.dep_ == "mark" and c.lower_ == "for" for c in verb.children)
    if verb.dep_ == "advcl" and marked and subjects and lemma in words["asking_heads"]:
        # "called for the Taliban to lift the ban": the caller's appeal to the Taliban
        callers = subjects_of(head)
        return "appeal.made", head, callers[0] if callers else None, subjects
    return None


def _held_until(verb: Token, head: Token, lexicon: Lexicon) -> bool:
    """Whether the clause says what must come before its head, an act held back: "will not
    end the war until ...", "would not sign until ..."."""
    if not any(c.dep_ == "mark" and c.lower_ == "until" for c in verb.children):
        return False
    modal = lexicon.words["hedges"] | lexicon.words["futures"]
    auxes = {c.lemma_.lower() for c in head.children if c.dep_ == "aux"}  # "wo" of "won't"
    return bool(auxes & modal) and any(c.dep_ == "neg" for c in head.children)


def _with(talks: Token) -> list[Token]:
    """Whom talks are with: "talks with China", "negotiations between X and Y"."""
    found = [
        c
        for p in talks.children
        if p.dep_ == "prep" and p.lower_ in ("with", "between")
        for c in p.children
        if c.dep_ == "pobj"
    ]
    return [t for o in found for t in (o, *o.conjuncts)]

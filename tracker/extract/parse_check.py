"""The trigger rules' events checked against the parse of their sentence: a trigger word the
parse reads as an adjective ("a demanding gentleman") or as a predicate with an object that
makes it another act ("dismissed concerns") is no event; where the parse names who does what
the rule read ("I urge the Taliban to ...": the speaker, not the Taliban), the parse's
subjects are the actors."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tracker.extract.candidate import Candidate
from tracker.extract.frame_events import Context, accepting, actors_of, bystander, reporter
from tracker.extract.frame_lexicon import Lexicon, load_lexicon
from tracker.extract.frames import (
    asked_for,
    described,
    direct_objects,
    material,
    objects_of,
    obliged,
    other_sense,
    predicate_of,
    seldom,
    speaker_of,
    subjects_of,
    terms_of,
    unvoiced,
)
from tracker.extract.verdicts import in_verdict
from tracker.extract.warned import warning_clause

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


def checked(ruled: list[Candidate], parsed: Span, context: Context) -> list[Candidate]:
    lexicon = load_lexicon()
    out: list[Candidate] = []
    by_trigger: dict[int, list[Candidate]] = {}
    for c in ruled:
        by_trigger.setdefault(c.at, []).append(c)
    for at, group in by_trigger.items():
        token = _token_at(parsed, at)
        if (
            token is not None
            and token.dep_ == "amod"
            and token.head.i == token.i + 1
            and not _bare(group)
        ):
            token = token.head  # "a new round": the phrase's noun, not its adjective
        if token is None:
            out.extend(group)
        elif token.pos_ == "VERB" and all(c.extra.get("noun") for c in group):
            continue  # "Netanyahu plans to meet ...": the noun trigger "plan" read as a verb
        elif in_verdict(token, lexicon):
            continue  # "the offer falls short, Fain said": Fain's answer (verdicts.py)
        elif _owed(token, lexicon) or warning_clause(token, lexicon) is not None:
            # "said the Taliban must return to the table": the speaker's appeal (owed.py);
            # "warned that China would ...": China's threat (warned.py)
            out.extend(c for c in group if c.type in ("appeal.made", "demand.made"))
        elif _benign_vow(token, lexicon):
            out.extend(c for c in group if c.type != "threat.issued")
        elif token.pos_ == "VERB" and _bare(group) and _wrong_object(token, lexicon):
            continue  # "reviewing all its rights": the lexicon's "review" wants a proposal
        elif token.pos_ == "VERB" and asked_for(token, lexicon):
            out.extend(c for c in group if c.type in ("appeal.made", "demand.made"))
        elif token.pos_ == "VERB" and described(token):
            continue  # "the pact the United States negotiated with the insurgents"
        elif _in_terms(token, lexicon):
            continue  # "a plan for rearming Europe", "the deal would see Hamas release": terms
        elif not _misread(token, lexicon):
            found = _actors_from_parse(group, token, context, lexicon)
            if token.pos_ == "VERB" and seldom(token, lexicon):  # "seldom criticized China"
                found = [replace(c, modality="negated", condition=None) for c in found]
            out.extend(found)
    return out


def _owed(token: Token, lexicon: Lexicon) -> bool:
    """What someone says a party must do (not "a delegation should arrive": expected)."""
    return (
        token.pos_ == "VERB" and obliged(token, lexicon) and speaker_of(token, lexicon) is not None
    )


def _benign_vow(token: Token, lexicon: Lexicon) -> bool:
    """ "Vowed to make the region climate neutral": a pledge, not a threat."""
    if token.lemma_.lower() != "vow":
        return False
    vowed = [c for c in token.children if c.dep_ == "xcomp"]
    if not vowed:
        return False
    predicate = predicate_of(vowed[0], lexicon)
    if predicate is not None and predicate.type in ("threat.issued", "military.action"):
        return False
    return vowed[0].lemma_.lower() not in lexicon.words["hostile"]


def _misread(token: Token, lexicon: Lexicon) -> bool:
    if token.pos_ == "PROPN":
        return True  # "the Rapid Support Forces": a name
    if token.pos_ == "NOUN" and material(token, lexicon):
        return True  # "gives military support to": aid, not a stance
    if token.pos_ == "NOUN" and any(
        c.dep_ == "det" and c.lower_ in ("any", "no") for c in token.children
    ):
        return True  # "before any new round could begin": no round at all
    if token.pos_ == "NOUN" and unvoiced(token, lexicon):
        return True  # "will renounce the Brothers' support", "withdrew its support"
    if token.dep_ == "amod" and token.pos_ in ("ADJ", "VERB"):
        return True  # "a demanding gentleman", "the proposed deal": a description
    if (
        token.dep_ == "acl"
        and token.tag_ == "VBN"
        and not any(c.dep_ == "nsubj" for c in token.children)
    ):
        return True  # "soldiers backed by African Union troops": a description
    return other_sense(token, lexicon)  # "dismissed concerns", "met with success"


def _in_terms(token: Token, lexicon: Lexicon) -> bool:
    """Whether the clause a trigger sits in states a proposal's terms (frames.terms_of)."""
    verb = next((t for t in (token, *token.ancestors) if t.pos_ in ("VERB", "AUX")), None)
    return verb is not None and terms_of(verb, lexicon)


def _bare(group: list[Candidate]) -> bool:
    """Whether the rules matched the verb alone ("reviewing"), not the verb and its object."""
    return all(len(c.trigger.split()) == 1 for c in group)


def _wrong_object(verb: Token, lexicon: Lexicon) -> bool:
    """The verb's every reading in the lexicon wants objects of a kind, or is one done
    without an object by doers of a kind ("the delegations met"), and its direct object is
    none of those kinds ("met the EU's demands")."""
    readings = lexicon.predicates.get(verb.lemma_.lower(), ())
    if not readings or any(not p.objects and not p.subjects for p in readings):
        return False
    objects = {o.lemma_.lower() for o in direct_objects(verb)}
    return bool(objects) and not any(objects & p.objects for p in readings)


def _actors_from_parse(
    group: list[Candidate], token: Token, context: Context, lexicon: Lexicon
) -> list[Candidate]:
    """The parse's named subjects replace the rule's actors when the rule read the verb as
    the lexicon does and none of its actors is among them (a pronoun subject is the rules'
    to resolve: they follow quotes and speakers further)."""
    if token.pos_ == "NOUN":
        return _owner_of_noun(group, token, context, lexicon)
    subjects = subjects_of(token) if token.pos_ == "VERB" else []
    if subjects and all(bystander(s, lexicon) for s in subjects):
        return []  # "Politicians in Britain have expressed concerns": no party's
    predicate = predicate_of(token, lexicon) if token.pos_ == "VERB" else None
    if predicate is None or any(c.type != predicate.type for c in group):
        return group
    group = [replace(c, type=accepting(c.type, c.actor, token, context, lexicon)) for c in group]
    if token.dep_ == "pcomp" and subjects and not actors_of(tuple(subjects), context, lexicon):
        return []  # "attacked the newspaper for refusing to ...": the newspaper's, no party's
    if _answers_its_own(group, token, subjects, context, lexicon):
        return []  # "Boeing's offer was turned down by the machinists": not Boeing's answer
    speaker = next((reporter(s, lexicon) for s in subjects if s.lower_ in ("we", "i")), None)
    if speaker is not None:
        # "'We consider the withdrawal by America a good step and urge ...,' said X": the
        # speaker's party, and nobody when the speaker is no known party's.
        said = actors_of((speaker,), context, lexicon)
        first = group[0]
        return [
            replace(first, actor=a, target=None if first.target == a else first.target)
            for a in said
        ]
    if any(s.pos_ == "PRON" for s in subjects):
        # "We urge Guatemalan authorities to ...": whoever "we" are, not those urged
        urged = actors_of(tuple(objects_of(token)), context, lexicon)
        return [c for c in group if c.actor not in urged]
    return _replaced(group, subjects, context, lexicon)


def _answers_its_own(
    group: list[Candidate], token: Token, subjects: list[Token], context: Context, lexicon: Lexicon
) -> bool:
    """The rule gave an answer to the owner of what is answered, while the parse names
    someone else, no party, as who answers: nobody answers their own proposal."""
    if not subjects or any(s.pos_ == "PRON" for s in subjects):
        return False
    if any(c.type not in _ANSWERS for c in group) or actors_of(tuple(subjects), context, lexicon):
        return False
    owners = [p for o in direct_objects(token) for p in o.children if p.dep_ == "poss"]
    return {c.actor for c in group} <= set(actors_of(tuple(owners), context, lexicon))


_ANSWERS = {"proposal.rejected", "proposal.accepted"}


def _owner_of_noun(
    group: list[Candidate], token: Token, context: Context, lexicon: Lexicon
) -> list[Candidate]:
    """A noun trigger with no owner of its own, the object of a verb ("tabled a
    counter-offer"): the verb's subject made it, not a party named elsewhere in the clause."""
    verb = _making_verb(token)
    return group if verb is None else _replaced(group, subjects_of(verb), context, lexicon)


def _replaced(
    group: list[Candidate], subjects: list[Token], context: Context, lexicon: Lexicon
) -> list[Candidate]:
    if not subjects or any(s.pos_ == "PRON" for s in subjects):
        return group
    found = actors_of(tuple(subjects), context, lexicon)
    if not found:
        return group
    first = group[0]
    if {c.actor for c in group} & set(found):
        # The rule saw one of the coordinated subjects: add the others ("dismissed by both
        # the ministry and the employers"); a subject is no target of its own act.
        seen = {c.actor for c in group}
        group = [*group, *(replace(first, actor=a) for a in found if a not in seen)]
    else:
        group = [replace(first, actor=actor) for actor in found]
    return [replace(c, target=None) if c.target in found else c for c in group]


def with_frame_moods(
    ruled: list[Candidate], framed: list[Candidate], parsed: Span
) -> list[Candidate]:
    """A rule's event stated as fact takes the mood of the parse's frame of the same type and
    actor whose clause holds the rule's trigger: "agreed to release 50 prisoners in exchange
    for the hostages" is a release agreed to, not done; the parse sees the clause."""
    out: list[Candidate] = []
    for c in ruled:
        mood = (
            next((f for f in framed if _same_act(c, f, parsed)), None)
            if c.modality == "asserted"
            else None
        )
        out.append(
            c if mood is None else replace(c, modality=mood.modality, condition=mood.condition)
        )
    return out


def _same_act(ruled: Candidate, framed: Candidate, parsed: Span) -> bool:
    if (framed.type, framed.actor) != (ruled.type, ruled.actor) or framed.modality == "asserted":
        return False
    verb = _token_at(parsed, framed.at)
    if verb is None:
        return False
    start = verb.left_edge.idx
    return start <= ruled.at < verb.right_edge.idx + len(verb.right_edge.text)


def governing_verb(parsed: Span, at: int) -> int | None:
    """Where the verb starts whose object a noun trigger at `at` heads ("tabled" for the
    "counter-offer" of "tabled a counter-offer"): that verb and the noun are one act."""
    token = _token_at(parsed, at)
    verb = _making_verb(token) if token is not None and token.pos_ == "NOUN" else None
    return verb.idx if verb is not None else None


def _making_verb(token: Token) -> Token | None:
    """The verb that makes a noun trigger with no owner of its own: "tabled a counter-offer"
    (not "accept a U.S. proposal", which is someone else's)."""
    noun = token
    while noun.dep_ in ("compound", "amod", "nmod") and noun.head != noun:
        noun = noun.head
    owned = any(
        c.dep_ == "poss" or (c.dep_ == "compound" and c.pos_ == "PROPN") for c in noun.children
    )
    if owned or noun.dep_ != "dobj" or noun.head.pos_ != "VERB":
        return None
    return noun.head


def _token_at(parsed: Span, at: int) -> Token | None:
    for token in parsed:
        if token.idx <= at < token.idx + len(token.text):
            return token
    return None

"""Clause frames -> candidate events (the pipeline adds those the trigger rules did not find):
subjects resolved to parties (a registry mention in the subject phrase, the antecedent of a
pronoun or of "the group", a named entity the registry lacks, a party noun as written),
modality from the frame, the type-changing rules shared with the trigger rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from tracker.extract.candidate import Candidate
from tracker.extract.conversions import convert, red_line
from tracker.extract.cues import attribution, is_recap
from tracker.extract.dates import resolve_date
from tracker.extract.frame_lexicon import Lexicon, load_lexicon
from tracker.extract.frames import Frame, objects_of, obliged, read_frames, subjects_of
from tracker.extract.registry import Mention, Place, Registry
from tracker.extract.sentences import Sentence
from tracker.extract.speakers import office_owner, office_owners, unnamed_person_before

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_SPELLED = re.compile(
    r"((?:[A-Z][\w'-]+\s+)(?:(?:of|for|and|the|[A-Z][\w'-]+)\s+){1,6})\(([A-Z]{2,6})\)"
)
_OR_SO = re.compile(
    r"((?:[A-Z][\w'-]+\s+){1,6}?[A-Z][\w'-]+),\s+(?:or|known as)\s+(?:the\s+)?([A-Z]{2,6})\b"
)
# "DOHA, Jan 8 (Wire) - ", "DOHA (Wire) - "
_DATELINE = re.compile(r"[A-Z][A-Z .'-]{2,}(?:,[^-–—]{0,60}?|\s*\([\w ]+\))\s+[-–—]\s+")
_LOOKBACK = 600  # characters an anaphor reaches back


def acronyms(text: str) -> dict[str, str]:
    """Acronyms the article spells out: "the Baloch Liberation Army (BLA)", "the Baloch
    Liberation Army, or BLA,"."""
    out = {}
    for m in [*_SPELLED.finditer(text), *_OR_SO.finditer(text)]:
        words = [w for w in m.group(1).split() if w[0].isupper()]
        initials = "".join(w[0] for w in words)
        k = initials.rfind(m.group(2))
        if k >= 0:
            out[m.group(2)] = " ".join(words[k : k + len(m.group(2))])
    return out


@dataclass(frozen=True)
class Context:
    """What resolving a frame's parties needs besides the parse: the article's mentions, the
    registry, the acronyms it spells out, and the sentence with where the one before began."""

    mentions: list[Mention]
    places: list[Place]
    registry: Registry
    spelled: dict[str, str]
    sentence: Sentence
    previous_start: int
    sides: tuple[str, ...] = ()  # the article's two sides, when it has two
    text: str = ""  # the whole (normalised) article: what an organ noun's owner was
    home: str | None = None  # the dateline's state


def frame_events(parsed: Span, context: Context, published: date | None) -> list[Candidate]:
    lexicon = load_lexicon()
    hedges = lexicon.words["hedges"]
    out: list[Candidate] = []
    s = context.sentence.text
    for frame in read_frames(parsed, lexicon):
        type_, mood = frame.predicate.type, _mood(frame, lexicon)
        if mood is None:
            continue
        modality = mood
        if frame.predicate.by_sides:
            # "Talks are set to resume": the two sides; "talks with Ford continued": not ours
            # ("the talks in Madrid" are still ours: a place names no party)
            named = [
                c
                for t in frame.subjects
                for c in t.children
                if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ not in _WHERE)
            ]
            two = len(context.sides) == 2 and not named and frame.modality != "negated"
            actors = list(context.sides) if two else []
        else:
            actors = actors_of(frame.subjects, context, lexicon)
        if not actors:
            continue
        # "negotiating a ceasefire in Gaza": where, not whom
        aimed = tuple(o for o in frame.objects if not _located(o, lexicon))
        target = next((a for a in actors_of(aimed, context, lexicon) if a not in actors), None)
        auxes = {c.lower_ for c in frame.verb.children if c.dep_ == "aux"}
        if obliged(frame.verb, lexicon):
            continue  # "X said Hamas must accept": X's appeal (owed.py), not Hamas's act
        if modality == "negated" and auxes & (lexicon.words["futures"] | {"would"}):
            type_, modality = red_line(type_, modality)
        if modality == "conditional" and any(c.lower_ == "only" for c in frame.verb.children):
            type_ = "demand.made"  # "would only negotiate once X leaves": X's leaving, asked
        type_, modality = convert(type_, modality)
        if type_ == "threat.issued" and modality == "predicted" and auxes & hedges:
            modality = "conditional"  # "could retaliate": on a condition, said or not
        start = frame.verb.idx
        future = {modality, frame.modality} & {"planned", "predicted", "conditional"}
        if is_recap(own_clause(parsed, frame.verb, s), start, published, bool(future)):
            continue
        for actor in actors:
            out.append(
                framed(context, accepting(type_, actor, frame.verb, context, lexicon), actor,
                       target if target != actor else None, modality,
                       frame.condition if modality == "conditional" else None, frame.verb,
                       published, bool(future))
            )  # fmt: skip
    return out


_WHERE = {"in", "at", "near", "inside"}


def _located(token: Token, lexicon: Lexicon) -> bool:
    """Whether an object is where the act happens ("in Gaza", "at the border")."""
    head = token.head
    return token.dep_ == "pobj" and head.lower_ in lexicon.words["locative"]


def framed(
    context: Context,
    type_: str,
    actor: str,
    target: str | None,
    modality: str,
    condition: str | None,
    verb: Token,
    published: date | None,
    future: bool,
) -> Candidate:
    """A candidate read on the parse: the whole sentence is its evidence."""
    s = context.sentence.text
    return Candidate(
        type=type_,
        actor=actor,
        person=None,
        target=target,
        via=[],
        location=None,
        modality=modality,
        condition=condition,
        attribution=attribution(s, verb.idx),
        terms=[],
        evidence=[(context.sentence.start, context.sentence.end)],
        confidence=0.6,
        occurred=resolve_date(s, published, future),
        trigger=verb.text,
        at=verb.idx,
    )


def accepting(type_: str, actor: str, verb: Token, context: Context, lexicon: Lexicon) -> str:
    """Support for a proposal put to the supporter is its acceptance ("Russia supports the
    U.S. ceasefire proposal in principle"); a third party's support stays support."""
    if type_ != "support.expressed" or actor not in context.sides:
        return type_
    proposals = [o for o in objects_of(verb) if o.lemma_.lower() in lexicon.words["proposal_nouns"]]
    return "proposal.accepted" if proposals else type_


def own_clause(parsed: Span, verb: Token, sentence: str) -> str:
    """The sentence with the clauses that describe something else blanked (offsets kept): a
    date in "the agreement the two leaders endorsed in 2023" dates the endorsement, not the
    appeal the sentence reports."""
    chars = list(sentence)
    for token in parsed:
        if token.dep_ in ("relcl", "acl", "appos") and verb not in token.subtree:
            a, b = token.left_edge.idx, token.right_edge.idx + len(token.right_edge.text)
            chars[a:b] = " " * (b - a)
    return "".join(chars)


def _mood(frame: Frame, lexicon: Lexicon) -> str | None:
    """The frame's modality as an event has it, or None when it makes no event: a penalty
    stated as done is no threat; "ready to accept" is an acceptance, "willing to release" a
    plan, and readiness for anything else no event."""
    modality = frame.modality
    if frame.predicate.unreal:
        if modality not in ("conditional", "planned", "predicted"):
            return None
        return "conditional" if modality == "conditional" else "asserted"
    if modality != "willing":
        return modality
    if frame.predicate.type == "proposal.accepted":
        return "asserted"
    return "planned" if frame.predicate.type in lexicon.words["willing_types"] else None


def actors_of(tokens: tuple[Token, ...], context: Context, lexicon: Lexicon) -> list[str]:
    found: list[str] = []
    for token in tokens:
        if len(context.sides) == 2 and _both_sides(token, lexicon):
            found.extend(a for a in context.sides if a not in found)
            continue
        holders = _holders(token, context, lexicon)
        if holders:  # "the prime ministers signed eight pacts": both named before
            found.extend(a for a in holders if a not in found)
            continue
        actor = _actor(token, context, lexicon)
        if actor and actor not in found:
            found.append(actor)
    return found


def _holders(token: Token, context: Context, lexicon: Lexicon) -> list[str]:
    """The two parties whose holders of an office a plural names ("the prime ministers",
    "the foreign ministers") when nothing in the phrase says whose."""
    lemma = token.lemma_.lower()
    if token.tag_ != "NNS" or lemma not in lexicon.words["organ_nouns"]:
        return []
    if any(_whose(c) for c in token.children):
        return []
    start = context.sentence.start + token.idx
    owners = [m.actor for m in office_owners(context.text, context.mentions, start, lemma)]
    distinct = list(dict.fromkeys(owners))
    return distinct[:2] if len(distinct) >= 2 else []


def _whose(modifier: Token) -> bool:
    """Whether a modifier says whose an office is ("Indian", "Kenya's", "of Egypt"), not
    what it is ("prime", "foreign", "chief")."""
    if modifier.dep_ == "poss":
        return True
    if modifier.dep_ in ("compound", "amod"):
        return modifier.text[:1].isupper()
    return modifier.dep_ == "prep" and modifier.lower_ in ("of", "for", "from")


def _both_sides(token: Token, lexicon: Lexicon) -> bool:
    """ "Both sides", "the two sides", "negotiators for both sides", "the chief negotiators":
    the article's two sides, not a party of its own."""
    if token.lemma_.lower() not in lexicon.words["side_nouns"] or token.tag_ != "NNS":
        return False
    if any(c.lower_ in ("both", "two") for c in token.children):
        return True
    for prep in token.children:  # "negotiators for both sides"
        if prep.dep_ == "prep" and prep.lower_ in ("for", "from", "of"):
            return any(_both_sides(c, lexicon) for c in prep.children if c.dep_ == "pobj")
    # "the chief negotiators", with nothing but rank to say whose
    return token.lemma_.lower() in lexicon.words["organ_nouns"] and all(
        c.dep_ not in ("poss", "compound", "amod", "nmod") or c.lower_ in _RANKS
        for c in token.children
    )


_RANKS = {"chief", "top", "lead", "senior"}


def _modifies(word: Token, head: Token) -> bool:
    """Whether a modifier belongs to the head, directly or through the nouns between
    ("Chinese" in "Chinese coast guard vessels")."""
    node = word
    for _ in range(4):
        if node.head == head:
            return True
        if node.head.dep_ not in ("compound", "amod") or node.head == node:
            return False
        node = node.head
    return False


def _phrase(token: Token) -> tuple[int, int]:
    """The phrase's span in the sentence: its left edge to its right edge, without a
    relative clause, apposition or parenthesis hanging on it."""
    end = token.right_edge.i
    for child in token.rights:
        if child.dep_ in ("relcl", "acl", "appos", "punct", "cc", "conj"):
            end = min(end, child.left_edge.i - 1)
    last = token.doc[max(end, token.i)]
    first = token.left_edge
    while first.is_space and first.i < token.i:  # a blanked dateline
        first = token.doc[first.i + 1]
    return first.idx, last.idx + len(last.text)


def bystander(token: Token, lexicon: Lexicon) -> bool:
    """People who are no party wherever they are from (events/frames.toml
    `bystander_nouns`)."""
    return token.pos_ == "NOUN" and token.lemma_.lower() in lexicon.words["bystander_nouns"]


def _actor(token: Token, context: Context, lexicon: Lexicon) -> str | None:
    """The party a subject (or object) token names, in the order of trust: the registry's
    mentions in its phrase, a capital, an anaphor's antecedent, a demonym modifier, a proper
    name the registry lacks, the owner after "of" or "from"."""
    if token.idx < _dateline_end(context.sentence.text):
        return None  # "BRIDGETOWN, Barbados, Oct 18 (Wire) -": where, not who
    if bystander(token, lexicon):
        return None  # "residents of Gaza", "politicians in Britain": no party
    a, b = _phrase(token)
    start, end = context.sentence.start + a, context.sentence.start + b
    inside = [m for m in context.mentions if start <= m.start < end and m.actor]
    at = context.sentence.start + token.idx
    body = token.pos_ == "PROPN" or token.lemma_.lower() in lexicon.words["organ_nouns"]
    if body and not any(m.start <= at < m.end for m in inside):
        # "China's U.N. mission", "the African Union's Peace and Security Council": whose
        # (but "Afghanistan's Taliban insurgency" is the Taliban's).
        for whose in (c for c in token.children if c.dep_ == "poss" and c.pos_ != "PRON"):
            found = _actor(whose, context, lexicon)
            if found:
                return found
    if inside:
        return _mentioned(token, inside, context, lexicon)
    head_end = at + len(token.text)
    for place in context.places:
        # "Tokyo would not accept": the capital's state ("a truce in Gaza" is where)
        if start <= place.start < min(end, head_end):
            return context.registry.countries.get(place.name)
    found = _antecedent(token, start, context, lexicon)
    if found:
        return found
    for word in token.doc[token.left_edge.i : token.i + 1]:
        if word.dep_ in ("amod", "compound") and _modifies(word, token):
            state = context.registry.demonym(word.text)
            if state:  # "a Pakistani military operation", "Chinese coast guard vessels"
                return state
    name = _proper_name(token, lexicon)
    if name:
        return _entity(name, context)
    owner = _owner_after(token)
    apposed = token.i + 1 < len(token.doc) and token.nbor(1).text == ","
    if owner is not None and (token.pos_ == "NOUN" or apposed):
        return _actor(owner, context, lexicon)  # "top diplomats from the G7", "Sayim, of X,"
    return _party_noun(token, lexicon) or _organ(token, start, context, lexicon)


def _mentioned(
    token: Token, inside: list[Mention], context: Context, lexicon: Lexicon
) -> str | None:
    """The head's own mention, else what stands before it ("the Chinese side", "China's
    mission"), else whose it is ("the leader of Afghanistan's Taliban insurgency"); a place
    after the head ("doctors in New Zealand") names no party."""
    at = context.sentence.start + token.idx
    head = [m for m in inside if m.start <= at < m.end]
    ahead = [m for m in inside if m.start < at]
    if head or ahead:
        return (head or ahead)[-1].actor
    owner = _owner_after(token)
    # "the leader of X": whose; "doctors in New Zealand": where, no party
    return _actor(owner, context, lexicon) if owner is not None else None


def _antecedent(token: Token, start: int, context: Context, lexicon: Lexicon) -> str | None:
    """What a pronoun or "the group" stands for."""
    word = token.lower_
    before = [m for m in context.mentions if start - _LOOKBACK <= m.start < start and m.actor]
    if word in lexicon.words["pronouns"]:
        speaker = reporter(token, lexicon)
        if speaker is not None and not _one_person(speaker, word, lexicon):
            return _actor(speaker, context, lexicon)  # "Ukraine said it is ready": the speaker
        if not before or word in ("we", "i"):
            return None  # a speaker the quotation names, or no one said
        if word in ("he", "she"):
            people = [m for m in before if m.person]
            if not people or unnamed_person_before(context.text, start, context.mentions):
                return None  # "Ilyas Ali Hassan, a member of the upper house, urged ... He"
            return people[-1].actor
        # "It"/"they" continue the party the sentence before opened with; one it names further
        # on is no subject ("... a new victory for Sudan. They demanded reforms": the crowd).
        opened = [m for m in before if context.previous_start <= m.start < context.sentence.start]
        if opened and opened[0].start - context.previous_start > _OPENING:
            return None
        return opened[0].actor if opened else before[-1].actor
    bare = [c.lower_ for c in token.children if c.dep_ != "punct"] == ["the"]
    if token.lemma_.lower() in lexicon.words["document_anaphors"] and bare:
        # "X issued a statement ... The statement threatened sanctions": X's
        opened = [m for m in before if context.previous_start <= m.start < context.sentence.start]
        return opened[0].actor if opened else None
    if token.lemma_.lower() in lexicon.words["group_anaphors"] and bare:
        groups = [m for m in before if m.kind != "state"]
        return groups[-1].actor if groups else None
    return None


_OPENING = 40  # characters: "Earlier in December, Trump", "On Monday, the European Union"


def _organ(token: Token, start: int, context: Context, lexicon: Lexicon) -> str | None:
    """An organ or official of a party named by its office alone ("the envoy", "the health
    minister", "the military"): whose it was when the article last gave it an owner ("a U.S.
    envoy"), else the dateline's state for an organ of a state."""
    lemma = token.lemma_.lower()
    if token.pos_ != "NOUN" or lemma not in lexicon.words["organ_nouns"]:
        return None
    if any(c.dep_ == "poss" for c in token.children):
        return None  # "their negotiators": the pronoun's, not settled here
    owner = office_owner(context.text, context.mentions, start, lemma)
    if owner is not None:
        return owner.actor
    if lemma in lexicon.words["state_organs"]:
        return context.home
    return None


def _party_noun(token: Token, lexicon: Lexicon) -> str | None:
    """A party noun with a modifier, as written ("opposition lawmakers"); not "their union",
    someone named before."""
    modifiers = {c.dep_ for c in token.children}
    owned = any(c.dep_ == "poss" and c.pos_ == "PRON" for c in token.children)
    if (
        token.lemma_.lower() in lexicon.words["party_nouns"]
        and token.pos_ == "NOUN"
        and modifiers & {"compound", "amod"}
        and not owned
    ):
        words = [t.text for t in token.doc[token.left_edge.i : token.i + 1] if t.pos_ != "DET"]
        return " ".join(words)
    return None


def _owner_after(token: Token) -> Token | None:
    """The noun after "of" or "from" that says whose a phrase's head is."""
    for prep in token.rights:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "from"):
            found = [c for c in prep.children if c.dep_ == "pobj"]
            if found:
                return found[0]
    return None


def _dateline_end(sentence: str) -> int:
    found = _DATELINE.match(sentence)
    return found.end() if found else 0


def without_dateline(sentence: str) -> str:
    """The sentence with its dateline ("DOHA, Jan 8 (Wire) - ") blanked, offsets kept: the
    parser would take the city for the subject."""
    end = _dateline_end(sentence)
    return " " * end + sentence[end:]


def _one_person(speaker: Token, pronoun: str, lexicon: Lexicon) -> bool:
    """ "They" said by one person ("they need to destroy it," an official told reporters)
    is someone else: a person is "I" or "he", not "they" (a party may be "they")."""
    singular = speaker.tag_ == "NN" and speaker.lemma_.lower() in lexicon.words["person_nouns"]
    return pronoun == "they" and singular


def reporter(pronoun: Token, lexicon: Lexicon) -> Token | None:
    """The named subject of the reporting verb a pronoun's clause is said under."""
    node = pronoun.head
    for _ in range(4):
        if node.dep_ not in ("ccomp", "xcomp", "conj", "acomp") or node.head == node:
            return None
        node = node.head
        if node.lemma_.lower() in lexicon.words["reporting"]:
            said = [t for t in subjects_of(node) if t.pos_ != "PRON"]  # shared by "and said"
            return said[0] if said else None
    return None


def _proper_name(token: Token, lexicon: Lexicon) -> str | None:
    """A party the registry lacks, named in the subject: an acronym ("BLA"), or a proper
    name that says it is an organisation ("the Distilled Spirits Council"). A lone surname is
    a person, whom only the registry or the article can tie to a party."""
    if token.pos_ != "PROPN":
        heads = [c for c in token.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
        if not heads:
            return None
    left = token
    while left.i > 0 and token.doc[left.i - 1].pos_ == "PROPN":
        left = token.doc[left.i - 1]
    right = token
    of = [c for c in token.rights if c.dep_ == "prep" and c.lower_ == "of"]
    named = [c for c in of[0].children if c.dep_ == "pobj" and c.pos_ == "PROPN"] if of else []
    if named:  # "the Ministry of Labour"
        right = named[0]
    words = [t.text for t in token.doc[left.i : right.i + 1]]
    dateline = left.i == 0 and token.nbor(1).text == "," if token.i + 1 < len(token.doc) else False
    if len(words) == 1 and words[0].isupper() and 2 <= len(words[0]) <= 4 and not dateline:
        return words[0]  # an acronym, not a dateline's "DOHA,"
    if any(w.lower() in lexicon.words["organisation_words"] for w in words):
        return " ".join(words)
    return None


def _entity(text: str, context: Context) -> str:
    """A named party as the registry knows it, or as the article spells it out."""
    name = re.sub(r"^(?:the|The)\s+|'s$", "", text).strip()
    name = context.spelled.get(name, name)
    known = context.registry.resolve(name)
    if known is not None:
        return known.speaks_for or known.name
    return context.registry.demonym(name) or name

"""What a warning says will happen, read on the parse: "warned that China would take
countermeasures if Manila continued" is China's conditional threat, whoever voiced it; what
would follow on a condition with no party to do it ("more plants could be hit if ...") is the
warner's threat; "warned that the government's actions would divide the country" is the
warner's opposition to the government. The trigger rules read "warned that" alone and give
the threat to whoever their roles find; where the parse reads the clause, this replaces it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from tracker.events import Term
from tracker.extract.candidate import Candidate
from tracker.extract.cues import is_recap
from tracker.extract.frame_events import Context, actors_of, framed, own_clause
from tracker.extract.frame_lexicon import Lexicon, load_lexicon
from tracker.extract.frames import aside, condition_of, subjects_of

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


def warned_events(parsed: Span, context: Context, published: date | None) -> list[Candidate]:
    lexicon = load_lexicon()
    out: list[Candidate] = []
    for verb in parsed:
        clause = warning_clause(verb, lexicon)
        # A warning is no one's demand: "demanded that X tow ... and warned that" is two acts
        # even where the parse hangs the second on the first's content.
        if clause is None or (verb.dep_ != "conj" and aside(verb, lexicon)):
            continue
        if is_recap(own_clause(parsed, verb, context.sentence.text), verb.idx, published, True):
            continue
        condition = condition_of(clause, lexicon)
        modality = "conditional" if condition else "asserted"
        warners = actors_of(tuple(subjects_of(verb)), context, lexicon)
        undergoes = clause.lemma_.lower() in lexicon.words["undergoing"]
        if undergoes or clause.lemma_.lower() in lexicon.words["misfortunes"]:
            sufferers = actors_of(tuple(subjects_of(clause)), context, lexicon)
            if set(sufferers) & set(warners):
                continue  # "Canada Post warned it could lose $1 billion": no one threatened
        doers = [t for t in subjects_of(clause) if _agent(t, lexicon) and not undergoes]
        actors = actors_of(tuple(doers), context, lexicon)
        if not actors and (condition or undergoes):
            # "more plants could be hit if ...", "Iran would face military action": the
            # warner's threat, aimed at who would suffer it
            actors = warners[:1]
        if actors:
            aimed = subjects_of(clause) if undergoes else _objects(clause)
            targets = actors_of(tuple(aimed), context, lexicon)
            target = next((t for t in targets if t not in actors), None)
            for actor in actors:
                threat = framed(context, "threat.issued", actor, target, modality, condition,
                                verb, published, True)  # fmt: skip
                threat.terms = [Term(text=what_is_threatened(clause), kind="object")]
                out.append(threat)
            continue
        # "warned that the Somali government's actions would divide the country"
        owners = [c for t in subjects_of(clause) for c in t.children if c.dep_ == "poss"]
        whose = actors_of(tuple(owners), context, lexicon)
        if warners and whose and whose[0] != warners[0]:
            out.append(framed(context, "opposition.expressed", warners[0], whose[0], "asserted",
                              None, verb, published, False))  # fmt: skip
    return out


def warning_clause(verb: Token, lexicon: Lexicon) -> Token | None:
    """The clause a warning says would come ("warned that X would ..."), or None: a warning
    of something ("warned of retaliation") or a clause that says nothing will happen. Any
    reporting verb warns when what it reports is a penalty that would follow on a condition
    ("added that sanctions could follow if Ankara went ahead")."""
    lemma = verb.lemma_.lower()
    if verb.pos_ != "VERB" or lemma not in lexicon.words["reporting"]:  # "warn" is one of them
        return None
    for clause in verb.children:
        if clause.dep_ != "ccomp":
            continue
        auxes = {c.lower_ for c in clause.children if c.dep_ in ("aux", "auxpass")}
        negated = any(c.dep_ == "neg" for c in clause.children)
        if not auxes & (lexicon.words["hedges"] | lexicon.words["futures"]) or negated:
            continue
        if lemma == "warn" or (_penalty_follows(clause, lexicon) and condition_of(clause, lexicon)):
            return clause
    return None


def _penalty_follows(clause: Token, lexicon: Lexicon) -> bool:
    """Whether the clause's subject is a penalty ("sanctions could follow", "tariffs would
    be imposed")."""
    penalties = lexicon.words["penalty_nouns"]
    said = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(t.lemma_.lower() in penalties for t in said)


def what_is_threatened(clause: Token) -> str:
    """The act a warning names, without its subject, modal or condition: "target energy
    sites" of "it would target energy sites if Ukraine struck its ports"."""
    kept = [
        t
        for c in clause.children
        if c.i > clause.i and c.dep_ not in ("advcl", "punct", "cc", "conj", "mark")
        for t in c.subtree
    ]
    last = max((t.i for t in kept), default=clause.i)
    return clause.doc[clause.i : last + 1].text.strip(' "')


def _agent(token: Token, lexicon: Lexicon) -> bool:
    """Whether a subject can be one who acts: a name, a pronoun, a party or its organ (not
    "any disruption", "their path")."""
    words = lexicon.words
    nouns = words["organ_nouns"] | words["party_nouns"] | words["side_nouns"]
    return token.pos_ in ("PROPN", "PRON") or token.lemma_.lower() in nouns


def _objects(clause: Token) -> list[Token]:
    """Whom the warned act is against: its object, the object of "against" or "on", or who
    would set it off ("if Manila continued")."""
    found = [c for c in clause.children if c.dep_ == "dobj"]
    for child in clause.children:
        if child.dep_ == "prep" and child.lower_ in ("against", "on"):
            found.extend(c for c in child.children if c.dep_ == "pobj")
        if child.dep_ == "advcl":
            found.extend(c for c in child.children if c.dep_ == "nsubj")
    return found

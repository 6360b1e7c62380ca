"""Clause frames read from a dependency parse: for each predicate of the lexicon, who does it
(subject, passive agent, coordinated subjects, the controller of an infinitive, the noun a
relative clause hangs on), to whom or what (objects and prepositional roles), and how it is
said (negation, modal and future auxiliaries, conditions, the verbs it sits under: plan,
expect, ready, refuse, and the reporting verb with its speaker). Pure over spaCy tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tracker.extract.frame_lexicon import Lexicon, Predicate

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_SUBJECTS = ("nsubj", "csubj", "expl")
_PREPS = ("prep", "agent", "dative")
_RELATIVE = {"which", "who", "that", "whom"}


@dataclass(frozen=True)
class Frame:
    predicate: Predicate
    verb: Token
    subjects: tuple[Token, ...]
    objects: tuple[Token, ...]
    modality: str  # asserted | planned | predicted | conditional | negated | willing
    condition: str | None
    speaker: Token | None


def read_frames(sentence: Span, lexicon: Lexicon) -> list[Frame]:
    frames = []
    for token in sentence:
        after = _talks_before(token, lexicon)
        if after is not None:
            frames.append(after)
            continue
        noun = lexicon.nouns.get(_lemma(token)) if token.pos_ == "NOUN" else None
        if noun is not None and not material(token, lexicon) and not unvoiced(token, lexicon):
            by = noun.by | ({"of"} if _lemma(token.head) in lexicon.words["of_heads"] else set())
            owners = _owners(token, frozenset(by))
            light = token.dep_ == "dobj" and _lemma(token.head) in lexicon.words["light_verbs"]
            if not owners and light:  # "Japan expressed support for the Philippines"
                owners = subjects_of(token.head)
            mood, condition = _modality(token.head, lexicon) if light else ("asserted", None)
            if owners and not (light and aside(token.head, lexicon)):
                frames.append(Frame(noun, token, tuple(owners), (), mood, condition, None))
            continue
        ongoing = _ongoing(token, lexicon)
        if ongoing is not None:
            frames.append(ongoing)
            continue
        stance = token.pos_ == "ADJ" and token.dep_ == "acomp"  # "is deeply disappointed"
        if token.pos_ not in ("VERB", "AUX") and token.tag_ not in ("VBN", "VBG") and not stance:
            continue
        predicate = predicate_of(token, lexicon)
        if predicate is None or aside(token, lexicon):
            continue
        modality, condition = _modality(token, lexicon)
        doers = subjects_of(token)
        frames.append(
            Frame(
                predicate,
                token,
                tuple(doers),
                tuple(objects_of(token)),
                modality,
                condition,
                speaker_of(token, lexicon),
            )
        )
    return frames


def _talks_before(noun: Token, lexicon: Lexicon) -> Frame | None:
    """ "Following talks with X, Modi said ...", "after a meeting with X, the envoy ...": talks
    the clause's subject held with X before what the clause says."""
    prep = noun.head
    if noun.dep_ != "pobj" or noun.pos_ != "NOUN" or prep.lower_ not in _AFTER:
        return None
    if _lemma(noun) not in lexicon.words["talk_nouns"] | {"meeting"}:
        return None
    others = [c for p in noun.children if p.dep_ == "prep" and p.lower_ == "with"
              for c in p.children if c.dep_ == "pobj"]  # fmt: skip
    if not others or prep.head.pos_ not in ("VERB", "AUX"):
        return None
    doers = tuple(subjects_of(prep.head))
    return Frame(Predicate(_lemma(noun), "talks.held"), noun, doers, tuple(others), "asserted",
                 None, None)  # fmt: skip


_AFTER = {"following", "after", "during"}


def _ongoing(verb: Token, lexicon: Lexicon) -> Frame | None:
    """ "Diplomatic efforts are under way", "the troop drawdown has been underway": talks or
    an agreement's provision going on, done by the noun's owner or else by whoever says so."""
    if verb.lemma_.lower() != "be":
        return None
    way = any(
        (c.dep_ == "prep" and c.lower_ == "under" and any(w.lower_ == "way" for w in c.children))
        or (c.dep_ in ("acomp", "advmod") and c.lower_ in ("underway", "ongoing"))
        for c in verb.children
    )
    nouns = [c for c in verb.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"]
    if not way or not nouns:
        return None
    lemma = nouns[0].lemma_.lower()
    words = lexicon.words
    type_ = "talks.held" if lemma in words["ongoing_talks"] else None
    type_ = "agreement.implemented" if lemma in words["ongoing_acts"] else type_
    if type_ is None:
        return None
    owned = any(c.dep_ in ("poss", "compound", "amod") and c.text[:1].isupper()
                for c in nouns[0].children)  # fmt: skip
    speaker = speaker_of(verb, lexicon)
    doers = (nouns[0],) if owned or speaker is None else (speaker,)
    modality, condition = _modality(verb, lexicon)
    return Frame(Predicate(lemma, type_), verb, doers, (), modality, condition, speaker)


def material(noun: Token, lexicon: Lexicon) -> bool:
    """ "military support", "financial backing": aid given, not a stance taken."""
    return any(c.dep_ in ("amod", "compound") and c.lower_ in lexicon.words["material"]
               for c in noun.children)  # fmt: skip


def unvoiced(noun: Token, lexicon: Lexicon) -> bool:
    """A stance noun ("support", "opposition") acted on by a verb that neither voices it
    ("expressed support") nor has it ("won the backing of"): renounced, withdrawn, sought."""
    if _lemma(noun) not in lexicon.nouns or noun.dep_ != "dobj":
        return False
    words = lexicon.words
    return _lemma(noun.head) not in words["light_verbs"] | words["of_heads"]


def predicate_of(verb: Token, lexicon: Lexicon) -> Predicate | None:
    lemma = verb.lemma_.lower()
    keys = [f"{lemma} {c.lower_}" for c in verb.children if c.dep_ in ("prt", "prep")]
    if not any(c.dep_ == "prt" for c in verb.children):
        keys.append(lemma)  # "back off", "turn up": a particle makes another verb
    if other_sense(verb, lexicon):
        return None
    heads = {_lemma(o) for o in objects_of(verb)}
    acted_on = {_lemma(o) for o in [*direct_objects(verb), *_stranded(verb)]}
    doers = {_lemma(t) for t in subjects_of(verb)}
    for key in keys:
        for predicate in lexicon.predicates.get(key, ()):
            if predicate.subjects and not doers & predicate.subjects:
                continue
            # A penalty is what is raised or imposed, not "bills rose with the added duty".
            wanted = acted_on if predicate.unreal else heads
            if not predicate.objects or wanted & predicate.objects:
                return predicate
    return None


def _owners(noun: Token, by: frozenset[str]) -> list[Token]:
    """Whose support or opposition a noun is: its possessor, or the object of "from"."""
    found = [c for c in noun.children if c.dep_ == "poss"]
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in by:
            found.extend(c for c in prep.children if c.dep_ == "pobj")
    return [t for o in found for t in (o, *o.conjuncts)]


def aside(verb: Token, lexicon: Lexicon) -> bool:
    """A clause that reports no act: the content of an appeal or demand ("urged X to
    accept"), a condition ("if X rejects", "should X reject"), what has not happened yet
    ("before any round could begin"), a proposal's terms, a description (an object relative,
    a participle), a purpose ("to prevent bloodshed"), what a noun holds ("fears that X might
    retaliate"), "refused to attend" (no proposal was answered), a set phrase; and any clause
    that hangs on one of these."""
    words = lexicon.words
    if asked_for(verb, lexicon):
        return True
    if verb.dep_ == "advcl" and (
        any(c.dep_ == "mark" and c.lower_ in words["conditions"] for c in verb.children)
        or verb.doc[verb.left_edge.i].lower_ == "should"
    ):
        return True  # "if Hamas does not accept", "should Hamas reject": a condition
    if verb.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in words["not_yet"] for c in verb.children
    ):
        return True  # "before any new round could begin": not yet, maybe never
    subject = next((c.i for c in verb.children if c.dep_ == "nsubj"), verb.i)
    if any(c.dep_ == "aux" and c.lower_ == "should" and c.i < subject for c in verb.children):
        return True  # "... confirmed that should Hamas reject the proposal, ..."
    if verb.dep_ == "relcl" and (_lemma(verb.head) in words["content_nouns"] or described(verb)):
        return True  # "a proposal under which Hamas would free ...": its terms; "a solution
        # that the Council rejected": a description
    if verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return True  # "... to prevent further bloodshed": a purpose
    if verb.dep_ == "acl":
        return True  # "the coalition backing the government": a description
    if terms_of(verb, lexicon):
        return True  # "a plan for rearming Europe and supporting Ukraine": its terms
    if verb.dep_ == "ccomp" and verb.head.pos_ == "NOUN" and verb.tag_ != "VBN":
        return True  # "fears that China might retaliate": what the noun holds
    if _lemma(verb) == "refuse" and any(c.dep_ == "xcomp" for c in verb.children):
        return True
    around = verb.doc[max(0, verb.i - 3) : verb.i + 3].text.lower()
    if any(phrase in around for phrase in words["fixed"]):
        return True
    # A clause hanging on one that reports no act reports none either.
    dependent = verb.dep_ in ("advcl", "conj", "ccomp", "xcomp") and verb.head != verb
    return dependent and aside(verb.head, lexicon)


def asked_for(verb: Token, lexicon: Lexicon) -> bool:
    """Whether a clause is what someone urges or asks for ("urged X to accept", "called on
    all parties to resume talks"), or a verb coordinated with one, not done."""
    while verb.dep_ == "conj" and verb.head != verb:
        verb = verb.head
    asking = lexicon.words["asking_heads"]
    return verb.dep_ in ("xcomp", "ccomp") and _lemma(verb.head) in asking


def described(verb: Token) -> bool:
    """Whether a relative clause picks out what its noun is ("the pact the United States
    negotiated with the insurgents", "a solution that the Council rejected"), not adds an
    act to the story."""
    if verb.dep_ != "relcl":
        return False
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return bool(subjects) and subjects[0].lower_ not in _RELATIVE and not _added(verb)


def _added(relative: Token) -> bool:
    """A relative clause set off by a comma adds what happened ("an offer, which the union
    rejected hours later"); one without it picks out which offer is meant."""
    first = relative.left_edge
    return first.lower_ in ("which", "whom") and first.i > 0 and first.nbor(-1).text == ","


def terms_of(verb: Token, lexicon: Lexicon) -> bool:
    """Whether a clause states what a proposal would hold, not an act: "a plan for rearming
    Europe and supporting Ukraine", "the deal would see Hamas release 33 hostages", "the
    plan calls for Israel to withdraw", "under the proposal, Israel would withdraw". What an
    agreed text says will happen is a plan ("under the text, M23 will withdraw")."""
    words = lexicon.words
    content, proposals = words["content_nouns"], words["proposal_nouns"]
    while verb.dep_ == "conj" and verb.head != verb:
        verb = verb.head
    if verb.dep_ == "pcomp" and _lemma(verb.head.head) in content:
        return True
    if verb.dep_ in ("ccomp", "xcomp") and verb.head != verb:
        holder = [_lemma(c) for c in verb.head.children if c.dep_ == "nsubj"]
        if holder and (
            holder[0] in proposals or (holder[0] in content and _hedged(verb.head, lexicon))
        ):
            return True
    under = [
        _lemma(o)
        for p in verb.children
        if p.dep_ == "prep" and p.lower_ == "under"
        for o in p.children
        if o.dep_ == "pobj"
    ]
    return any(u in proposals or (u in content and _hedged(verb, lexicon)) for u in under)


def _hedged(verb: Token, lexicon: Lexicon) -> bool:
    """ "would", "could", "might": what is not yet agreed to happen."""
    return any(c.dep_ == "aux" and c.lower_ in lexicon.words["hedges"] for c in verb.children)


def obliged(verb: Token, lexicon: Lexicon) -> bool:
    """A clause of what its subject must or should do ("the Taliban must stop the attacks and
    return to the table"; a coordinated verb shares the modal), not "should Hamas reject"."""
    node = verb
    while node.dep_ == "conj" and node.head != node and not _own_subject(node):
        node = node.head
    subjects = [c.i for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
    first = subjects[0] if subjects else node.i
    return any(
        c.dep_ == "aux" and c.lower_ in lexicon.words["deontic"] and c.i > first
        for c in node.children
    )


def _own_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def other_sense(verb: Token, lexicon: Lexicon) -> bool:
    """The verb's object gives it another sense ("rejected the claims", "met with success")."""
    lemma = _lemma(verb)
    if {_lemma(o) for o in direct_objects(verb)} & lexicon.other_senses.get(lemma, frozenset()):
        return True
    for prep in verb.children:
        unlike = lexicon.other_senses.get(f"{lemma} {prep.lower_}") if prep.dep_ == "prep" else None
        if unlike and {_lemma(c) for c in prep.children if c.dep_ == "pobj"} & unlike:
            return True
    return False


def direct_objects(verb: Token) -> list[Token]:
    """What is acted on: the direct object, or a passive's subject ("the claims were
    rejected")."""
    found = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    return [t for o in found for t in (o, *o.conjuncts)]


def objects_of(verb: Token) -> list[Token]:
    out: list[Token] = []
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass", "attr", "oprd"):
            out.append(child)
        elif child.dep_ in _PREPS or child.dep_ == "prt":
            out.extend(c for c in child.children if c.dep_ == "pobj")
        elif child.dep_ == "xcomp":  # "offered to resettle the refugees"
            out.extend(c for c in child.children if c.dep_ == "dobj")
    if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN"):
        out.append(verb.head)  # "the deal signed by ..."
    out.extend(_stranded(verb))
    return [t for o in out for t in (o, *o.conjuncts)]


def _stranded(verb: Token) -> list[Token]:
    """An object the parser hung on the reporting verb after the quote ("... I will increase,
    on April 2, the tariffs ...," he said): English puts no object before its verb, so an
    object between the quoted verb and its reporting verb is the quoted verb's."""
    head = verb.head
    if verb.dep_ != "ccomp" or head.i < verb.i or any(c.dep_ == "dobj" for c in verb.children):
        return []
    gap = verb.doc[verb.right_edge.i + 1 : head.i]
    return [t for t in gap if t.pos_ == "NOUN" and (t.head == head or t.head.pos_ == "PUNCT")]


def subjects_of(verb: Token) -> list[Token]:
    """Who does it: the subject, the agent of a passive, shared subjects of coordinated verbs,
    the controller of an infinitive or participle, the noun a relative clause qualifies."""
    node: Token | None = verb
    for _ in range(6):
        if node is None:
            return []
        found = [c for c in node.children if c.dep_ in _SUBJECTS]
        passive = [c for c in node.children if c.dep_ == "nsubjpass"]
        if passive and node is verb:
            agents = [c for c in node.children if c.dep_ == "agent"]
            found = [p for a in agents for p in a.children if p.dep_ == "pobj"]
            if not found:
                return []
        elif passive:
            found = passive  # "Hamas is expected to respond", "talks are set to resume"
        if found:
            subject = found[0]
            if subject.lower_ in _RELATIVE and node.dep_ == "relcl":
                subject = node.head
            return [subject, *subject.conjuncts]
        if node.dep_ == "relcl" or (node.dep_ == "acl" and node.tag_ != "VBN"):
            return [node.head, *node.head.conjuncts]
        if node.dep_ == "pcomp" and node.head.dep_ == "prep":
            # "accused China of violating the deal": the accused did it (so they say)
            accused = [c for c in node.head.head.children if c.dep_ == "dobj"]
            return [accused[0], *accused[0].conjuncts] if accused else []
        if node.dep_ == "xcomp":
            # "urged X to accept": the object acts; "plans to accept": the subject does.
            objects = [c for c in node.head.children if c.dep_ == "dobj"]
            if objects and node.head.pos_ == "VERB":
                return [objects[0], *objects[0].conjuncts]
        if node.dep_ not in ("xcomp", "conj", "advcl", "pcomp", "acomp") or node.head == node:
            return []
        node = node.head
    return []


def _modality(verb: Token, lexicon: Lexicon) -> tuple[str, str | None]:
    words = lexicon.words
    condition = _condition(verb, words["conditions"])
    negated = denied(verb, lexicon)
    auxes = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    node = verb
    for _ in range(4):
        if node.dep_ not in ("xcomp", "ccomp", "acomp", "conj") or node.head == node:
            break
        head = node.head
        lemma = _lemma(head)
        if node.dep_ in ("xcomp", "acomp", "ccomp") and lemma in words["refused_heads"]:
            return "negated", None
        if node.dep_ != "conj":
            if lemma in words["willing_heads"]:
                return "willing", condition
            if lemma in words["predicted_heads"]:
                return "predicted", condition
            if lemma in words["planned_heads"] and not negated:
                return ("conditional" if condition else "planned"), condition
        condition = condition or _condition(head, words["conditions"])
        if node.dep_ == "conj" and node.tag_ == "VB":  # "will meet and sign": shared
            auxes |= {c.lower_ for c in head.children if c.dep_ == "aux"}
        node = head
    if negated:
        return "negated", None
    if condition:
        return "conditional", condition
    if auxes & words["hedges"]:
        # "said it would free the captives": a stated intention; "could retaliate": a forecast
        said = auxes & {"would"} and _under_reporting(verb, lexicon)
        return ("planned" if said else "predicted"), None
    if auxes & words["futures"]:
        return "planned", None
    return "asserted", None


def denied(verb: Token, lexicon: Lexicon) -> bool:
    """ "did not criticize", "seldom criticized": the verb says the act did not happen."""
    return any(c.dep_ == "neg" for c in verb.children) or seldom(verb, lexicon)


def seldom(verb: Token, lexicon: Lexicon) -> bool:
    """ "seldom criticized", "rarely met": denied by an adverb, which the trigger rules (they
    read "not" themselves) do not see."""
    negators = lexicon.words["negators"]
    return any(c.dep_ == "advmod" and c.lower_ in negators for c in verb.children)


def _under_reporting(verb: Token, lexicon: Lexicon) -> bool:
    return verb.dep_ == "ccomp" and _lemma(verb.head) in lexicon.words["reporting"]


def condition_of(verb: Token, lexicon: Lexicon) -> str | None:
    """The condition a clause is said on ("if Manila continued ..."), as written."""
    return _condition(verb, lexicon.words["conditions"])


def _condition(verb: Token, marks: frozenset[str]) -> str | None:
    for child in verb.children:
        if child.dep_ != "advcl":
            continue
        marked = any(m.dep_ == "mark" and m.lower_ in marks for m in child.children)
        if marked or child.doc[child.left_edge.i].lower_ == "should":  # "should X reject"
            text = child.doc[child.left_edge.i : child.right_edge.i + 1].text.strip(" ,")
            first, _, rest = text.partition(" ")
            return rest if first.lower() in ("if", "should") and rest else text
    return None


def speaker_of(verb: Token, lexicon: Lexicon) -> Token | None:
    """The subject of the reporting verb the frame is said under: "X said Y rejected it"."""
    node = verb
    for _ in range(4):
        if node.dep_ not in ("ccomp", "xcomp", "conj") or node.head == node:
            break
        node = node.head
        if _lemma(node) in lexicon.words["reporting"]:
            found = [c for c in node.children if c.dep_ == "nsubj"]
            return found[0] if found else None
    # "..., the minister said": the reported clause is the reporting verb's head.
    for child in verb.children:
        if child.dep_ in ("parataxis", "ccomp") and _lemma(child) in lexicon.words["reporting"]:
            found = [c for c in child.children if c.dep_ == "nsubj"]
            return found[0] if found else None
    return None

"""Article -> events: sentences, mentions, triggers, roles, modality, then one event per
happening (the same event told twice keeps both evidence spans)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from datetime import date

from tracker.article import Article
from tracker.events import EVENT_CLASSES, Evidence, NegotiationEvent, Term
from tracker.extract.cues import (
    Condition,
    Mood,
    attribution,
    clause_left,
    conditions,
    is_anonymous,
    is_recap,
    mood,
)
from tracker.extract.dates import resolve_date
from tracker.extract.normalise import Normalised, normalise
from tracker.extract.objects import object_of
from tracker.extract.passing import asides, blank, commentary
from tracker.extract.registry import (
    Mention,
    Place,
    Registry,
    learn_people,
    load_registry,
    prefer_parties,
)
from tracker.extract.routing import load_negotiations, parties_of, route
from tracker.extract.sentences import Sentence, split_sentences
from tracker.extract.speakers import officials, pronouns, quoted
from tracker.extract.terms import find_terms, states_terms
from tracker.extract.triggers import Hit, find_hits

# When triggers of two types overlap, the more specific type wins.
PRIORITY = [
    "proposal.countered",
    "proposal.rejected",
    "proposal.under_review",
    "response.delivered",
    "proposal.accepted",
    "agreement.violated",
    "agreement.implemented",
    "agreement.reached",
    "talks.ended",
    "talks.scheduled",
    "talks.held",
    "opposition.expressed",
    "threat.issued",
    "support.expressed",
    "demand.made",
    "appeal.made",
    "military.action",
    "proposal.made",
]
_RANK = {t: i for i, t in enumerate(PRIORITY)}
# Types whose second party (after the trigger) is a target.
_TARGETED = {
    "proposal.made", "proposal.countered", "proposal.accepted", "proposal.rejected",
    "appeal.made", "threat.issued", "demand.made", "support.expressed", "opposition.expressed",
    "talks.held", "talks.scheduled", "military.action", "agreement.reached",
    "agreement.violated", "response.delivered",
}  # fmt: skip
# What a party "should" do, said by another, is that other's appeal.
_OWED = {
    "proposal.accepted", "proposal.rejected", "proposal.under_review", "agreement.reached",
    "talks.held", "agreement.implemented",
}  # fmt: skip
_NEAR_TARGET = {
    "proposal.accepted",
    "proposal.rejected",
    "proposal.countered",
    "response.delivered",
}
_LOCATED = {
    "talks.scheduled", "talks.held", "talks.ended", "military.action", "threat.issued",
    "agreement.reached", "agreement.implemented", "agreement.violated",
}  # fmt: skip
_VIA = re.compile(
    r"\b(?:through|via|mediated by|brokered by|with the help of|relayed by|conveyed by|"
    r"channelled through|channeled through|passed on by|delivered to)\s+(?:the\s+)?$",
    re.I,
)
# Triggers that open with the noun ("talks ... between", "ceasefire ... took effect").
_NOUN_FIRST = re.compile(r"~?(?:talks|agreement)\|")
_JOINT_HEAD = re.compile(
    r"(?:\s+[a-z-]+){0,2}?\s+(?:government|army|military|forces|delegation|negotiators|leaders?|officials|"
    r"leadership|authorities)\s*(?:,|and|,\s*and)\s*(?:the\s+)?(?:opposition\s+|rebel\s+)?"
)
_OWNED = re.compile(
    r"\s*(?:(?:latest|new|revised|updated|final|current|own)\s+)?(?:position|proposal|offer|"
    r"plan|response|terms|draft|counterproposal|conditions)\s+(?:was|is|were|are|has|had)?\s*\"?"
)
# A second clause ("welcomed the truce and called on Israel", "..., but Congo accused"): a
# party named there is not the target of the first verb.
_NEW_CLAUSE = re.compile(
    r";|,\s*(?:but|while|and|although|though|as)\b|\bbut\b|"
    r"\band\s+(?:\w+ed|said|told|made|sent|met|urged|warned)\b"
)
_PRONOUN = re.compile(r"\b(it|they|he|she)\s+(?:\w+\s+){0,3}$", re.I)
_STOP_NP = {
    "to", "that", "for", "of", "and", "in", "on", "with", "is", "was", "are", "were", "has",
    "have", "had", "by", "as", "at", "from", "would", "will", "said", "which", "who", "it",
}  # fmt: skip
_GROUP_OF = re.compile(
    r"\b(?:delegation|delegations|team|teams|negotiators|officials|representatives|envoys?|"
    r"members|leaders|sources?|spokes(?:man|woman|person)|leadership|mediators|commanders|"
    r"ministers|diplomats|generals|troops|forces|soldiers|fighters)\s+(?:from|of|in)\s+"
    r"(?:the\s+)?$",
    re.I,
)
_MODIFIERS = {
    "latest", "new", "revised", "updated", "initial", "original", "own", "ceasefire", "truce",
    "peace", "hostage", "draft", "amended", "final", "proposed", "formal", "written", "fresh",
    "earlier", "previous", "improved", "sweetened", "contract", "trade", "wage", "nuclear",
}  # fmt: skip
_OBJECT_VERBS = re.compile(
    r"\b(?:urged|urging|urge|called on|calls on|call on|pressed|pressing|asked|told|tells|"
    r"accused|accusing|accuses|warned|warning|encouraged|push for|pushed|for|with|to|against|"
    r"sent|sends|gave|gives|handed|hands|offered|offers|"
    r"from|between|at|toward|towards|over|about|under|among|than|like|of|in)\s+$",
    re.I,
)


@dataclass
class Candidate:
    type: str
    actor: str
    person: str | None
    target: str | None
    via: list[str]
    location: str | None
    modality: str
    condition: str | None
    attribution: str | None
    terms: list[Term]
    evidence: list[tuple[int, int]]  # spans in the normalised text
    confidence: float
    occurred: date | None = None
    trigger: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def extract_events(article: Article) -> tuple[tuple[str, ...], list[NegotiationEvent]]:
    registry = load_registry()
    norm = normalise(article.text)
    text = norm.text
    places = registry.places_in(text)
    furniture = _furniture(text)
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
    spoken = commentary(text, sentences)
    on_topic = [m for m in mentions if not any(x.start <= m.start < x.end for x in aside)]
    negotiations = route(blank(text, aside), {m.actor for m in on_topic})
    given = article.negotiation
    if isinstance(given, str) and given:
        negotiations = (given, *(n for n in negotiations if n != given))
    # "both sides" are the article's own pair when it names one within the negotiation.
    pair = _pair(text, mentions)
    # An article that says what it is about is about that negotiation alone: the parties of
    # another one it happens to route to are not "both sides".
    parties = parties_of((given,) if isinstance(given, str) and given else negotiations)
    top = _frequent(on_topic)
    if pair and not parties and top and top[0] not in pair:
        pair = top  # the subject pair of a side paragraph, not the story's two sides
    if pair and (not parties or set(pair) <= set(parties)):
        parties = pair
    if not parties:
        parties = _frequent(mentions)
    mentions = prefer_parties(mentions, parties, registry)
    foreign = _foreign(negotiations[:1], parties)
    candidates: list[Candidate] = []
    for sentence in sentences:
        in_sentence = [m for m in mentions if sentence.start <= m.start < sentence.end]
        found = _sentence_events(
            sentence, in_sentence, places, registry, article.published, parties
        )
        if sentence.start in aside_starts:
            # Only what passes between the article's own sides survives an aside.
            found = [c for c in found if c.actor in parties and (c.target or parties[0]) in parties]
        if sentence.start in spoken:
            found = [c for c in found if c.modality == "predicted"]
        candidates.extend(_in_scope(found, text, sentence, mentions, parties, foreign))
    _attach_terms(candidates, sentences, mentions)
    merged = _dedup(candidates)
    _fill_targets(merged, parties if _up_front(parties, mentions, sentences) else ())
    events = [_build(c, norm, article, negotiations) for c in merged]
    return negotiations, events


# Page furniture, not the story: bylines, photo captions, "Read more" lists, credits.
_FURNITURE = re.compile(
    r"^(?:By\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+)*(?:(?:,|\s+and)\s+[A-Z][\w.'-]+"
    r"(?:\s+[A-Z][\w.'-]+)*)*\s*$|(?:Photo|FILE PHOTO|Pictured|Caption|Image)\b.*|"
    r"\((?:Reporting|Writing|Editing|Additional reporting)\b.*|"
    r"(?:Read more|Related coverage|Related|See also|Our Standards)\b.*|"
    r".*\b\w+/(?:Staff|Handout|File)\s*$)",
    re.M,
)


def _furniture(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _FURNITURE.finditer(text)]
    # The lines of a "Read more:" list are headlines of other stories.
    for m in re.finditer(r"^(?:Read more|Related coverage|Related|See also):?\s*$", text, re.M):
        spans.append((m.start(), len(text) if len(text) - m.end() < 400 else m.end()))
    return spans


def _frequent(mentions: list[Mention]) -> tuple[str, ...]:
    """With no pair named, the two parties the article names most (twice at least)."""
    counts: dict[str, int] = {}
    for m in mentions:
        if m.actor and m.kind in ("state", "organisation"):
            counts[m.actor] = counts.get(m.actor, 0) + 1
    top = sorted(counts, key=lambda a: -counts[a])[:2]
    return tuple(top) if len(top) == 2 and counts[top[1]] >= 2 else ()


def _foreign(
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


def _in_scope(
    found: list[Candidate],
    text: str,
    sentence: Sentence,
    mentions: list[Mention],
    parties: tuple[str, ...],
    foreign: list[tuple[frozenset[str], re.Pattern[str]]],
) -> list[Candidate]:
    """A passing mention of another negotiation makes no event for this one. A paragraph
    that names two parties of another negotiation and one of its keywords ("Egypt and Qatar
    urged Israel and Hamas to return to talks on the Gaza truce") is about that one: its
    events by or aimed at those parties go, and so do a bystander's there."""
    if not found or not foreign:
        return found
    para_start = text.rfind("\n", 0, sentence.start) + 1
    para_end = text.find("\n", sentence.end)
    para_end = len(text) if para_end < 0 else para_end
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


def _pair(text: str, mentions: list[Mention]) -> tuple[str, ...]:
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
                or (a.text.endswith("'s") and _JOINT_HEAD.fullmatch(text[a.end : b.start]))
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


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).lower() == " ".join(normalise(b).text.split()).lower()


def _sentence_events(
    sentence: Sentence,
    mentions: list[Mention],
    places: list[Place],
    registry: Registry,
    published: date | None,
    parties: tuple[str, ...],
) -> list[Candidate]:
    s = sentence.text
    hits = _resolve_overlaps(find_hits(s))
    if not hits:
        return []
    conds = conditions(s)
    local = [
        replace(m, start=m.start - sentence.start, end=m.end - sentence.start) for m in mentions
    ]
    out: list[Candidate] = []
    previous: Hit | None = None
    for hit in hits:
        prior, previous = previous, hit
        if _NOUN_FIRST.match(hit.trigger.text):
            left = s[: hit.start]
            if re.search(r"\bto\s+[a-z]+\s+(?:[a-z]+\s+)?$", left):
                continue  # "in a bid to revive stalled talks": what someone wants, not news
            if (
                prior is not None
                and prior.type.startswith("talks.")
                and len(s[prior.end : hit.start].split()) <= 4
            ):
                continue  # "host a new round of talks in Muscat": the talks are the object
        if _FIGURATIVE.match(s, hit.end) or (
            re.fullmatch(r"met", s[hit.start : hit.end], re.I)
            and re.search(r"\b(?:be|been|being|is|are|was|were)\s+$", s[: hit.start])
        ):
            continue  # "struck a different tone", "demands were met"
        decided = mood(s, hit.start, hit.end, conds)
        if hit.trigger.unreal:
            threat = _unreal(s, hit, conds, decided)
            if threat is None:
                continue
            decided = threat
        source = attribution(s, hit.start)
        if decided.modality == "willing":
            if hit.type != "proposal.accepted":
                continue
            decided = replace(decided, modality="asserted")
        if decided.modality == "unlikely":
            if hit.type != "proposal.accepted":
                continue
            hit = replace(hit, type="proposal.rejected")  # "unlikely to accept"
            decided = replace(decided, modality="predicted")
        if decided.modality == "drop":
            continue
        if is_recap(s, hit.start, published, decided.modality in ("planned", "predicted")):
            continue
        if hit.trigger.noun:
            decided = replace(decided, modality="asserted")  # "X's proposal" exists as stated
        roles = _roles(s, hit, local, parties)
        if roles is None:
            continue
        actors, person, target, via, confidence = roles
        if hit.trigger.joint and (len(actors) < 2 or _TALK_NEXT.match(s, hit.end)):
            continue  # "agreed" alone: to what, and with whom, is not said; "to meet": talks
        if hit.trigger.unreal and hit.trigger.text.startswith("!face"):
            # "Japan would face a 25 percent tariff unless ...": the speaker threatens Japan.
            speaker = _speaker(s, local, hit.start, exclude=actors[0])
            if speaker is None:
                continue
            target, actors, person = actors[0], [speaker.actor], speaker.person
        type_ = hit.type
        modality = decided.modality
        condition = decided.condition
        if modality == "deontic":
            speaker = _speaker(s, local, hit.start, exclude=actors[0])
            if type_ in ("talks.held", "talks.scheduled") and speaker is None:
                modality = "planned"  # "a delegation should arrive": expected, not owed
            elif speaker is not None and type_ in _OWED:
                # "X said Hamas should accept": an appeal by the speaker, not Hamas's act.
                type_, target = "appeal.made", actors[0]
                actors, person = [speaker.actor], speaker.person
                modality, confidence = "asserted", confidence - 0.1
            else:
                continue
        type_, modality = _convert(type_, modality)
        if (
            type_ == "proposal.accepted"
            and modality == "negated"
            and re.search(
                r"\b(?:would|will|won't|wouldn't)\s+(?:not\s+|never\s+)?$", s[: hit.start]
            )
        ):
            type_, modality = "demand.made", "asserted"  # "would not accept any X": a red line
        if type_ == "demand.made" and modality == "negated":
            continue  # "talks without preconditions": no demand was made
        if type_ == "proposal.accepted":
            partner = _with_party(s, hit.end, local, actors)
            if partner:  # "agreed to a roadmap with the Houthis": a deal between the two
                type_, target = "agreement.reached", partner
        calls_for = hit.trigger.text.startswith(("call", "=called"))
        if type_ == "demand.made" and calls_for and parties and actors[0] not in parties:
            type_ = "appeal.made"  # a third party calling for a truce appeals
        if is_anonymous(source):
            confidence -= 0.2
        location = _location(s, hit, places, sentence.start, type_)
        future = modality in ("planned", "predicted", "conditional")
        occurred = resolve_date(s, published, future)
        obj = object_of(s, hit, type_, hit.type, local)
        if target is None and type_ in _RESPONSES:
            verb_end = s.find(" ", hit.start)
            owner = _DEMONYM_OFFER.match(s, verb_end) if verb_end > 0 else None
            # "rejected an Ethiopian proposal": the adjective names the proposer.
            target = registry.demonym(owner.group(1)) if owner else None
        if type_ == "threat.issued" and target is None and modality == "conditional":
            target = _condition_subject(condition, local, actors)
        for actor in actors:
            tgt = target if target != actor else None
            out.append(
                Candidate(
                    type=type_,
                    actor=actor,
                    person=person,
                    target=tgt,
                    via=[v for v in via if v != actor],
                    location=location,
                    modality=modality,
                    condition=condition if modality == "conditional" else None,
                    attribution=source,
                    terms=[obj] if obj else [],
                    evidence=[(sentence.start, sentence.end)],
                    confidence=max(0.3, min(1.0, confidence)),
                    occurred=occurred,
                    trigger=s[hit.start : hit.end],
                )
            )
    return out


_DEMONYM_OFFER = re.compile(
    r"\s+(?:an?|the|its|their)\s+(?:(?:latest|new|revised|fresh|updated|final)\s+)?"
    r"([A-Z][\w.-]+)\s+(?:(?:ceasefire|truce|peace|contract|wage|trade|draft)\s+)?"
    r"(?:proposal|offer|plan|draft|counterproposal|counteroffer|terms|text)\b"
)
_TALK_NEXT = re.compile(
    r"(?:\s+(?:on|in|late|early)\s+\w+)?\s+to\s+(?:meet|resume|hold|return|continue|reconvene|"
    r"talk|negotiate|start|begin|keep)\b"
)
_FIGURATIVE = re.compile(
    r"\s+(?:a|an)\s+(?:\w+\s+)?(?:tone|note|chord|balance|nerve|pose|figure)\b", re.I
)


def _unreal(s: str, hit: Hit, conds: list[Condition], decided: Mood) -> Mood | None:
    """A consequence ("impose sanctions", "face tariffs") is a threat when a condition governs
    it (even inside "would ask the board to impose arbitration if ...") or it is announced as
    future; stated as done, it is no threat."""
    if decided.modality == "conditional":
        return decided
    after = next((c for c in conds if c.start >= hit.end), None)
    if after is not None and not re.search(r"[;]|\.\s", s[hit.end : after.start]):
        return Mood("conditional", after.text)
    if decided.modality in ("planned", "predicted"):
        return Mood("asserted")
    return None


def _with_party(s: str, end: int, mentions: list[Mention], actors: list[str]) -> str | None:
    after = [m for m in mentions if m.start >= end and m.actor and m.actor not in actors]
    if not after or not re.fullmatch(
        r"(?:\s+[\w'-]+){0,3}?\s+with\s+(?:the\s+)?", s[end : after[0].start]
    ):
        return None
    first = after[0]
    if first.text.endswith("'s") and len(after) > 1 and after[1].start - first.end <= 1:
        return after[1].actor  # "with Yemen's Houthis": the Houthis
    return first.actor


def _condition_subject(
    condition: str | None, mentions: list[Mention], actors: list[str]
) -> str | None:
    """A threat made conditional on a party's act is aimed at that party: "should Hamas
    reject the proposal, Israel would invade Rafah" threatens Hamas."""
    if not condition:
        return None
    lead = condition.removeprefix("the ").removeprefix("The ")
    for m in mentions:
        name = m.text.removeprefix("the ").removeprefix("The ")
        if m.actor and m.actor not in actors and not m.anaphor and lead.startswith(name):
            return m.actor
    return None


def _resolve_overlaps(hits: list[Hit]) -> list[Hit]:
    # The earliest trigger wins ("agreed to cut tariffs" is an agreement, not the cut);
    # between triggers starting together, the more specific type.
    hits.sort(key=lambda h: (h.start, _RANK[h.type]))
    kept: list[Hit] = []
    for hit in hits:
        if any(hit.start < k.end and k.start < hit.end for k in kept):
            continue
        kept.append(hit)
    kept.sort(key=lambda h: h.start)
    return kept


def _convert(type_: str, modality: str) -> tuple[str, str]:
    """Rules of DESIGN.md that turn a modality into another type."""
    if type_ == "support.expressed" and modality == "negated":
        return "opposition.expressed", "asserted"  # "does not support" is opposition
    if type_ == "proposal.rejected" and modality == "negated":
        return "proposal.under_review", "asserted"  # "has not objected" is under review
    if type_ == "talks.held" and modality in ("planned", "predicted"):
        return "talks.scheduled", "planned"
    if type_ == "talks.scheduled":
        return type_, ("negated" if modality == "negated" else "planned")
    if type_ == "proposal.under_review" and modality == "planned":
        return type_, "asserted"  # "will study the ideas": under review now
    if type_ == "response.delivered" and modality in ("planned", "predicted"):
        return "proposal.under_review", "asserted"  # "will respond" means still reviewing
    if type_ == "military.action" and modality == "conditional":
        return "threat.issued", "conditional"  # "would invade Rafah if ..." is a threat
    if type_ == "opposition.expressed" and modality == "conditional":
        return "threat.issued", "conditional"  # "would block the deal unless ..."
    if type_ == "military.action" and modality == "planned":
        return "threat.issued", "asserted"
    if type_ == "threat.issued" and modality == "planned":
        return type_, "asserted"  # "warned it will ...": the warning itself happened
    return type_, modality


def _roles(
    s: str, hit: Hit, mentions: list[Mention], parties: tuple[str, ...]
) -> tuple[list[str], str | None, str | None, list[str], float] | None:
    confidence = 0.9
    before = [
        m for m in mentions if m.end <= hit.start or (hit.trigger.noun and m.start < hit.start)
    ]
    after = [m for m in mentions if m.start >= hit.end]
    agent: Mention | None = None
    if hit.trigger.noun:
        # "Israel's latest proposal", "the Egyptian plan": the owner stands right before.
        if before:
            last = before[-1]
            between = s[last.end : hit.start].split()
            owner = last.end > hit.start or last.text.endswith("'") or last.text.endswith("'s")
            if last.end > hit.start or (
                len(between) <= 3
                and all(w.lower() in _MODIFIERS or "-" in w for w in between)
                and (owner or len(between) <= 2)
            ):
                agent = last
        if agent is None:
            return None
        confidence -= 0.1
    else:
        passive = re.match(r"\s+by\s+(?:the\s+)?", s[hit.end :])
        if passive and after and after[0].start == hit.end + passive.end():
            agent = after[0]
            after = after[1:]
        else:
            aside = _asides(s, hit.start)
            candidates = [
                m
                for m in before
                if not _is_object(s, m) and not any(a <= m.start < b for a, b in aside)
            ]
            accused = re.search(r"\bof\s+$", s[: hit.start])
            if (
                accused
                and before
                and re.search(
                    r"\b(?:accused|accusing|accuses|accuse|blamed|blaming|blames)\s+$",
                    s[max(0, before[-1].start - 20) : before[-1].start],
                )
            ):
                candidates = [before[-1]]  # "Israel accused Hamas of violating": Hamas acts
            near = clause_left(s, hit.start)
            clause_start = hit.start - len(near)
            if (
                candidates
                and candidates[-1].end <= clause_start
                and re.match(r"\s*(?:the|such|a|an|this|these|those)\s", near, re.I)
            ):
                return None  # the clause has its own subject, and it is not a party
            subject = _subject(s, candidates)
            participle = bool(
                subject
                and re.search(r",\s+$", s[: hit.start])
                and s[hit.start : hit.end].split()[0].endswith("ing")
            )
            if candidates:
                agent = candidates[-1]
                if (
                    subject
                    and subject is not agent
                    and agent.text.endswith(("'s", "'"))
                    and re.search(r"\band\s+$", s[: hit.start])
                ):
                    agent = subject  # "X condemned China's actions and urged": X urges
                if participle and subject:
                    agent = subject  # "X met Y on Monday, delivering proposals": X delivers
                pron = _PRONOUN.search(s[agent.end : hit.start])
                if pron and pron.group(1).lower() in ("it", "they") and len(candidates) > 1:
                    # "Hamas told mediators it rejected": the pronoun is the speaker.
                    speakers = [
                        m
                        for m in candidates
                        if _SPEAKER_AFTER.match(s[m.end : m.end + 40]) and m.end <= agent.end
                    ]
                    agent = speakers[-1] if speakers else agent
                    confidence -= 0.15
                gap = len(s[agent.end : hit.start].split()) - sum(
                    len(s[a:b].split()) for a, b in aside if agent.end <= a and b <= hit.start
                )
                if (
                    gap > 12
                    and subject is agent
                    and (participle or re.search(r"\band\s+$", s[: hit.start]))
                ):
                    gap = 8  # "India said the draft fell short of ... and demanded": India
                if (
                    gap > 12
                    and agent is candidates[-1]
                    and re.search(
                        r"\b(?:said|says|told|added|stated)\b.*?\b(?:it|they)\s",
                        s[agent.end : hit.start],
                    )
                ):
                    gap = 10  # "X said in a statement that it ... and would continue": X
                if gap > 12:
                    return None
                if hit.type == "proposal.rejected" and _OWNED.match(s[agent.end : hit.start]):
                    # "Hamas said Israel's latest offer fell short": the owner is the target,
                    # the speaker rejects; with no speaker, nobody known rejects it.
                    speaker = _speaker(s, mentions, agent.start, exclude=agent.actor)
                    if speaker is None or not agent.text.endswith(("'s", "'")):
                        return None
                    return [speaker.actor], speaker.person, agent.actor, [], confidence - 0.1
                if gap > 7:
                    confidence -= 0.1
    inside = [m for m in mentions if hit.start <= m.start and m.end <= hit.end and m.actor]
    noun_first = bool(_NOUN_FIRST.match(hit.trigger.text))
    if s[hit.start : hit.end].lower().endswith("between") and (agent is None or noun_first):
        # "talks between Ukrainian and American officials": both take part.
        sides = _joined(s, [m for m in mentions if m.start >= hit.end], hit.end)
        if len(sides) >= 2:
            return sides, None, None, [], confidence - 0.1
    if agent is None and noun_first and inside:
        # "a ceasefire between Israel and Hezbollah took effect": the parties inside act.
        return list(dict.fromkeys(m.actor for m in inside)), None, None, [], 0.8
    if agent is None:
        return None
    if agent.kind == "parties":
        if not parties:
            return None
        two = re.search(r"\b(?:two|both)\b", agent.text, re.I)
        return list(parties[:2] if two else parties), None, None, [], confidence - 0.1
    if agent.anaphor:
        confidence -= 0.1
    actors = [agent.actor]
    # "Israel and Hamas agreed ...": both are actors.
    for other in reversed([m for m in before if m.end <= agent.start]):
        joint = s[other.end : agent.start]
        if other.actor == agent.actor and re.fullmatch(r"\s*\(\s*", joint):
            agent = other  # "the National Liberation Army (ELN)"
            continue
        if other.kind != "parties" and (
            re.fullmatch(r"\s*(?:,|and|,\s*and)\s*(?:the\s+)?", joint)
            or (other.text.endswith("'s") and _JOINT_HEAD.fullmatch(joint))
        ):
            actors.insert(0, other.actor)
            agent = other
        else:
            break
    via: list[str] = []
    for m in mentions:
        if _VIA.search(s[max(0, m.start - 40) : m.start]) and m.actor not in actors:
            via.append(m.actor)
    m_after = re.search(r"\b([A-Z][\w]+)-(?:brokered|mediated|backed)\b", s)
    if m_after:
        for m in mentions:
            if m.start == m_after.start() and m.actor not in via:
                via.append(m.actor)
    target = None
    if hit.type in _TARGETED:
        for m in after:
            if m.actor in actors or m.actor in via or not m.actor:
                continue
            limit = 3 if hit.type in _NEAR_TARGET else 4 if hit.type == "appeal.made" else 8
            gap_text = s[hit.end : m.start]
            if (
                len(gap_text.split()) <= limit
                and not re.search(
                    r"\b(?:due to|because of|amid|after|despite|over|before|since)\b", gap_text
                )
                and not _NEW_CLAUSE.search(gap_text)
                and not re.search(r"\b(?:in|at)\s+(?:the\s+)?$", gap_text)
                # "will hold talks next week, Qatar said": the speaker, not a target
                and not ("," in gap_text and _SAYS_AFTER.match(s, m.end))
            ):  # "talks in Havana": a venue, not a target
                target = m.actor
            break
    if target is None and hit.type in _NEAR_TARGET:
        # "rejected the hospital system's latest offer": the owner inside is the target.
        owners = [m for m in inside if m.text.endswith(("'s", "'")) and m.actor not in actors]
        target = owners[0].actor if owners else None
    return list(dict.fromkeys(actors)), agent.person, target, via, confidence


_SAYS_AFTER = re.compile(
    r"(?:'s?\s+\w+)?\s+(?:said|says|told|added|announced|reported|confirmed|stated)\b"
)
_ASIDE = re.compile(r",\s+(?:who|which|whose|where)\b[^,;]*,")


def _asides(s: str, start: int) -> list[tuple[int, int]]:
    """Relative clauses set off by commas that do not hold the trigger: "Omani mediators,
    who brokered a truce between the two sides, are expected to host talks"."""
    return [m.span() for m in _ASIDE.finditer(s) if not m.start() <= start < m.end()]


def _subject(s: str, candidates: list[Mention]) -> Mention | None:
    """The sentence's subject: its first party, named before any verb in the opening words
    (after a dateline such as "GENEVA, July 18 (Wire) - ")."""
    if not candidates:
        return None
    dateline = re.match(r"[^a-z]{0,40}?\(\w+\)\s+-\s+", s)
    start = dateline.end() if dateline else 0
    first = candidates[0]
    if first.start < start or len(s[start : first.start].split()) > 4:
        return None
    return first


def _joined(s: str, after: list[Mention], start: int) -> list[str]:
    """The actors of "X and Y" (or "X, Y and Z") starting right at `start`."""
    actors: list[str] = []
    pos = start
    for m in after:
        if not m.actor or not re.fullmatch(
            r"\s*(?:,|and|,\s*and)?\s*(?:the\s+)?", s[pos : m.start]
        ):
            break
        actors.append(m.actor)
        pos = m.end
    return list(dict.fromkeys(actors))


def _is_object(s: str, m: Mention) -> bool:
    """A mention that is the object of a verb or preposition ("urged Hamas", "for Israel")
    is not the subject of what follows in most wire copy."""
    left = s[max(0, m.start - 40) : m.start]
    if re.search(r"\b\w+(?:ing|ed)\s+(?:the|a|an)\s+$", left):
        return True  # "reviewing the Hamas response": inside an object
    if not _OBJECT_VERBS.search(left[-20:]):
        return False
    # "a delegation from Hamas", "officials of Egypt": the group is the party acting.
    return not re.search(_GROUP_OF, left)


_SPEAKER_AFTER = re.compile(
    r"\s+(?:\w+\s+)?(?:said|says|told|tells|informed|assured|confirmed|announced|added)\b"
)
_SPEAKER_VERB = re.compile(
    r"\b(?:said|says|told|believes|believed|thinks|argued|insisted|added|stated|warned)\b"
)


def _speaker(s: str, mentions: list[Mention], start: int, exclude: str) -> Mention | None:
    verb = None
    for m in _SPEAKER_VERB.finditer(s[:start]):
        verb = m
    if verb is None:
        return None
    before = [m for m in mentions if m.end <= verb.start() and m.actor != exclude]
    return before[-1] if before else None


def _location(s: str, hit: Hit, places: list[Place], offset: int, type_: str) -> str | None:
    if type_ not in _LOCATED:
        return None
    local = [(p.start - offset, p.end - offset, p.name) for p in places]
    local = [p for p in local if 0 <= p[0] < len(s)]
    for start, _end, name in local:
        if (
            start >= hit.end
            and len(s[hit.end : start].split()) <= 8
            and re.search(
                r"\b(?:in|to|at|into|near|on|for|against|over)\s+(?:the\s+)?$",
                s[max(0, start - 12) : start],
            )
        ):
            return name
        if (
            start >= hit.end
            and type_ in ("military.action", "threat.issued")
            and start - hit.end <= 2
        ):
            return name  # "invade Rafah"
    if type_.startswith("talks."):
        for start, _end, name in local:
            if re.search(r"\b(?:in|to|at)\s+$", s[max(0, start - 5) : start]):
                return name
    return None


def _attach_terms(
    candidates: list[Candidate], sentences: list[Sentence], mentions: list[Mention]
) -> None:
    """Terms go to the proposals and agreements: from their own sentence, and from sentences
    that describe what "X's proposal" or "the deal" would contain."""
    holders = [
        c
        for c in candidates
        if c.type in ("proposal.made", "proposal.countered", "agreement.reached")
    ]
    if not holders:
        return
    for c in holders:
        for start, _end in list(c.evidence):
            sent = next((x for x in sentences if x.start == start), None)
            if sent is not None:
                c.terms.extend(t for t in find_terms(sent.text) if t not in c.terms)
    for sent in sentences:
        if not re.search(
            r"\b(?:proposal|deal|agreement|offer|plan|framework|contract|truce|ceasefire)\b",
            sent.text,
            re.I,
        ):
            continue
        if not states_terms(sent.text):
            continue
        found = find_terms(sent.text)
        if not found:
            continue
        owners = {
            m.actor
            for m in mentions
            if sent.start <= m.start < sent.end
            and re.match(
                r"\s*(?:'s\s+)?(?:latest|new|revised|own|initial)?\s*(?:proposal|offer|plan)",
                sent.text[m.end - sent.start :],
            )
        }
        targets = [
            c for c in holders if c.type == "proposal.made" and (not owners or c.actor in owners)
        ] or holders[:1]
        for c in targets[:1]:
            c.terms.extend(t for t in found if t not in c.terms)
            if (sent.start, sent.end) not in c.evidence:
                c.evidence.append((sent.start, sent.end))


# An answer is aimed at whoever made the proposal it answers.
_RESPONSES = {
    "proposal.accepted", "proposal.rejected", "proposal.countered", "proposal.under_review",
    "response.delivered",
}  # fmt: skip
# Between the two sides of a two-party negotiation, what one side does here faces the other.
_FACING = {
    "proposal.made", "demand.made", "threat.issued", "talks.scheduled", "talks.held",
    "agreement.reached", *_RESPONSES,
}  # fmt: skip


def _up_front(parties: tuple[str, ...], mentions: list[Mention], sentences: list[Sentence]) -> bool:
    """The two sides of a story are named in its first sentences; a pair first named
    further down (a passing "Egypt and Qatar urged ...") is not what the story is about."""
    if len(parties) != 2 or not sentences:
        return False
    cutoff = sentences[min(3, len(sentences) - 1)].end
    named = {m.actor for m in mentions if m.start < cutoff and m.actor}
    return bool(set(parties) & named)


def _fill_targets(merged: list[Candidate], parties: tuple[str, ...]) -> None:
    """A target the sentence leaves unsaid, when the article makes it plain: a response
    answers the last proposal another party made before it; with exactly two sides, a
    side's proposal, demand, threat, talks or deal faces the other side. Anyone else (a
    mediator, a bystander) is left without a target rather than given a guessed one."""
    proposer: dict[str, str | None] = {}  # who made the last proposal to a party (or anyone)
    for c in sorted(merged, key=lambda c: min(c.evidence)):
        if c.type in ("proposal.made", "proposal.countered") and c.modality != "negated":
            for addressee in {c.target, None}:
                proposer[addressee or ""] = c.actor
        if c.target:
            continue
        if c.type in _RESPONSES:
            made_by = proposer.get(c.actor) or proposer.get("")
            if made_by and made_by != c.actor:
                c.target = made_by
                continue
        if c.type in _FACING and len(parties) == 2 and c.actor in parties:
            c.target = parties[1] if c.actor == parties[0] else parties[0]


def _dedup(candidates: list[Candidate]) -> list[Candidate]:
    """One event per (type, actor, target, modality): the same happening told twice."""
    merged: list[Candidate] = []
    for c in candidates:
        twin = next((m for m in merged if _same_event(m, c)), None)
        if twin is None:
            merged.append(c)
            continue
        for span in c.evidence:
            if span not in twin.evidence:
                twin.evidence.append(span)
        twin.target = twin.target or c.target
        twin.via = list(dict.fromkeys([*twin.via, *c.via]))
        twin.location = twin.location or c.location
        twin.person = twin.person or c.person
        twin.attribution = twin.attribution or c.attribution
        twin.occurred = twin.occurred or c.occurred
        has_object = any(t.kind == "object" for t in twin.terms)
        # One object per event: the first telling names it; a retelling adds no second one.
        twin.terms.extend(
            t for t in c.terms if t not in twin.terms and not (t.kind == "object" and has_object)
        )
        if c.modality == "conditional" and twin.modality == "asserted":
            twin.modality, twin.condition = "conditional", c.condition
        twin.confidence = min(1.0, max(twin.confidence, c.confidence) + 0.05)
    return merged


def _same_event(a: Candidate, b: Candidate) -> bool:
    if a.type != b.type or a.actor != b.actor:
        return False
    if a.target and b.target and a.target != b.target:
        return False
    if a.modality == b.modality:
        return not _distinct_conditions(a, b)
    # A threat told once plainly and once with its condition is one threat.
    return a.type == "threat.issued" and {a.modality, b.modality} == {"asserted", "conditional"}


def _distinct_conditions(a: Candidate, b: Candidate) -> bool:
    """Two conditional threats whose conditions share no content word are two threats."""
    if not (a.condition and b.condition):
        return False
    words = [{w for w in re.findall(r"[a-z]{4,}", c.lower())} for c in (a.condition, b.condition)]
    return not (words[0] & words[1])


def _build(
    c: Candidate, norm: Normalised, article: Article, negotiations: tuple[str, ...]
) -> NegotiationEvent:
    evidence = []
    for start, end in sorted(c.evidence):
        a, b = norm.original_span(start, end)
        evidence.append(Evidence(text=article.text[a:b], start=a, end=b))
    cls = EVENT_CLASSES[c.type]
    event = cls.model_validate(
        {
            "type": c.type,
            "actor": c.actor,
            "person": c.person,
            "target": c.target,
            "via": tuple(c.via),
            "location": c.location,
            "modality": c.modality,
            "condition": c.condition,
            "attribution": c.attribution,
            "terms": tuple(c.terms),
            "evidence": tuple(evidence),
            "confidence": round(c.confidence, 2),
            "negotiations": negotiations,
            "article_id": article.id,
            "published": article.published,
            "occurred": c.occurred,
            "source_url": article.url,
        }
    )
    assert isinstance(event, NegotiationEvent)
    return event

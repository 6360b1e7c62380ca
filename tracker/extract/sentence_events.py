"""One sentence -> candidate events: its triggers (overlaps resolved, the more specific
type first), each read for mood (planned, conditional, negated, ...), filtered of recaps,
figures of speech and wishes, given roles, then turned by the DESIGN.md rules into the
type it reports ("should accept" said by another is that other's appeal, "would invade
... if" is a threat). Everything here sees one sentence; the article is pipeline.py's."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from tracker.extract.candidate import Candidate
from tracker.extract.conversions import OWED, convert
from tracker.extract.cues import (
    Condition,
    Mood,
    attribution,
    conditions,
    is_anonymous,
    is_recap,
    mood,
)
from tracker.extract.dates import resolve_date
from tracker.extract.objects import object_of
from tracker.extract.registry import Mention, Place, Registry
from tracker.extract.roles import NOUN_FIRST, assign_roles, location_of
from tracker.extract.sentences import Sentence
from tracker.extract.subjects import speaker_of
from tracker.extract.targets import RESPONSES, condition_subject, with_party
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


def sentence_events(
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
        if NOUN_FIRST.match(hit.trigger.text):
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
        # A trigger that opens with its own auxiliary ("will strike on") is read as if the
        # auxiliary stood before it: "will strike" is planned, "could strike" predicted.
        aux = _AUX_OPENING.match(s, hit.start)
        decided = mood(s, aux.end() if aux else hit.start, hit.end, conds)
        if hit.trigger.unreal:
            threat = _unreal(s, hit, conds, decided)
            if threat is None:
                continue
            decided = threat
        source = attribution(s, hit.start)
        if decided.modality == "willing" and hit.type == "military.action":
            # "ready to strike (if ...)": readiness for a hostile act is a threat
            cond = next((c for c in conds if not c.start <= hit.start < c.end), None)
            decided = Mood("conditional", cond.text) if cond else Mood("planned")
        if decided.modality == "willing":
            if hit.type != "proposal.accepted":
                continue
            decided = replace(decided, modality="asserted")
        if decided.modality == "unlikely":
            if hit.type not in ("proposal.accepted", "agreement.reached"):
                continue  # "unlikely to agree to a ceasefire": a refusal foreseen
            hit = replace(hit, type="proposal.rejected")  # "unlikely to accept"
            decided = replace(decided, modality="predicted")
        if decided.modality == "drop":
            continue
        if is_recap(
            s, hit.start, published, decided.modality in ("planned", "predicted", "conditional")
        ):
            continue
        if hit.trigger.noun:
            decided = replace(decided, modality="asserted")  # "X's proposal" exists as stated
        roles = assign_roles(s, hit, local, parties)
        if roles is None:
            continue
        actors, person, target, via, confidence = roles
        if hit.trigger.joint and (len(actors) < 2 or _TALK_NEXT.match(s, hit.end)):
            continue  # "agreed" alone: to what, and with whom, is not said; "to meet": talks
        if hit.trigger.unreal and hit.trigger.text.startswith("!face"):
            # "Japan would face a 25 percent tariff unless ...": the speaker threatens Japan.
            speaker = speaker_of(s, local, hit.start, exclude=actors[0])
            if speaker is None:
                continue
            target, actors, person = actors[0], [speaker.actor], speaker.person
        type_ = hit.type
        modality = decided.modality
        condition = decided.condition
        if modality == "deontic":
            speaker = speaker_of(s, local, hit.start, exclude=actors[0])
            if type_ in ("talks.held", "talks.scheduled") and speaker is None:
                modality = "planned"  # "a delegation should arrive": expected, not owed
            elif speaker is not None and type_ in OWED:
                # "X said Hamas should accept": an appeal by the speaker, not Hamas's act.
                type_, target = "appeal.made", actors[0]
                actors, person = [speaker.actor], speaker.person
                modality, confidence = "asserted", confidence - 0.1
            else:
                continue
        type_, modality = convert(type_, modality)
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
            partner = with_party(s, hit.end, local, actors)
            if partner:  # "agreed to a roadmap with the Houthis": a deal between the two
                type_, target = "agreement.reached", partner
        calls_for = hit.trigger.text.startswith(("call", "=called"))
        if type_ == "demand.made" and calls_for and parties and actors[0] not in parties:
            type_ = "appeal.made"  # a third party calling for a truce appeals
        if is_anonymous(source):
            confidence -= 0.2
        location = location_of(s, hit, places, sentence.start, type_)
        # "would respond by Friday" is under review now, and Friday is still to come.
        future = {modality, decided.modality} & {"planned", "predicted", "conditional"}
        occurred = resolve_date(s, published, bool(future))
        obj = object_of(s, hit, type_, hit.type, local)
        if target is None and type_ in RESPONSES:
            verb_end = s.find(" ", hit.start)
            owner = _DEMONYM_OFFER.match(s, verb_end) if verb_end > 0 else None
            # "rejected an Ethiopian proposal": the adjective names the proposer.
            target = registry.demonym(owner.group(1)) if owner else None
        if type_ == "threat.issued" and target is None and modality == "conditional":
            target = condition_subject(condition, local, actors)
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
                    at=hit.start,
                    extra={"noun": "yes"} if hit.trigger.noun else {},
                )
            )
    return out


_DEMONYM_OFFER = re.compile(
    r"\s+(?:an?|the|its|their)\s+(?:(?:latest|new|revised|fresh|updated|final)\s+)?"
    r"([A-Z][\w.-]+)\s+(?:(?:ceasefire|truce|peace|contract|wage|trade|draft)\s+)?"
    r"(?:proposal|offer|plan|draft|counterproposal|counteroffer|terms|text)\b"
)
_AUX_OPENING = re.compile(r"(?:will|would|could|may|might|shall|to)\s+", re.I)
_TALK_NEXT = re.compile(
    r"(?:\s+(?:on|in|late|early)\s+\w+)?\s+to\s+(?:meet|resume|hold|return|continue|reconvene|"
    r"talk|negotiate|start|begin|keep|attend|join|sit|send)\b"
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

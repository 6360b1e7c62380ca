"""Who does what to whom, inside one sentence: the actor (the owner of "X's proposal", a
passive's "by X", the subject before the verb, both of "X and Y agreed", "both sides"),
the target after the verb, the mediators ("through Qatar", "US-brokered") and, for talks,
deals and force, the place. Returns nothing when the sentence does not say who acts."""

from __future__ import annotations

import re

from tracker.extract.cues import clause_left
from tracker.extract.frame_lexicon import load_lexicon
from tracker.extract.registry import Mention, Place
from tracker.extract.subjects import (
    JOINT_HEAD,
    is_object,
    joined,
    relative_clauses,
    sentence_subject,
    speaker_of,
)
from tracker.extract.triggers import Hit

# Types whose second party (after the trigger) is a target.
_TARGETED = {
    "proposal.made", "proposal.countered", "proposal.accepted", "proposal.rejected",
    "appeal.made", "threat.issued", "demand.made", "support.expressed", "opposition.expressed",
    "talks.held", "talks.scheduled", "military.action", "agreement.reached",
    "agreement.violated", "response.delivered",
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
NOUN_FIRST = re.compile(r"~?(?:talks|agreement|swap)\|")
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
_MODIFIERS = {
    "latest", "new", "revised", "updated", "initial", "original", "own", "ceasefire", "truce",
    "peace", "hostage", "draft", "amended", "final", "proposed", "formal", "written", "fresh",
    "earlier", "previous", "improved", "sweetened", "contract", "trade", "wage", "nuclear",
}  # fmt: skip
_SAYS_AFTER = re.compile(
    r"(?:'s?\s+\w+)?\s+(?:said|says|told|added|announced|reported|confirmed|stated)\b"
)
_SPEAKER_AFTER = re.compile(
    r"\s+(?:\w+\s+)?(?:said|says|told|tells|informed|assured|confirmed|announced|added)\b"
)


def assign_roles(
    s: str, hit: Hit, mentions: list[Mention], parties: tuple[str, ...]
) -> tuple[list[str], str | None, str | None, list[str], float] | None:
    """(actors, person, target, via, confidence) of a trigger hit; None when the sentence
    does not say who acts."""
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
            aside = relative_clauses(s, hit.start)
            candidates = [
                m
                for m in before
                if not is_object(s, m) and not any(a <= m.start < b for a, b in aside)
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
            subject = sentence_subject(s, candidates)
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
                    speaker = speaker_of(s, mentions, agent.start, exclude=agent.actor)
                    if speaker is None or not agent.text.endswith(("'s", "'")):
                        return None
                    return [speaker.actor], speaker.person, agent.actor, [], confidence - 0.1
                if gap > 7:
                    confidence -= 0.1
    inside = [m for m in mentions if hit.start <= m.start and m.end <= hit.end and m.actor]
    noun_first = bool(NOUN_FIRST.match(hit.trigger.text))
    if s[hit.start : hit.end].lower().endswith("between") and (agent is None or noun_first):
        # "talks between Ukrainian and American officials": both take part.
        sides = joined(s, [m for m in mentions if m.start >= hit.end], hit.end)
        if len(sides) >= 2:
            return sides, None, None, [], confidence - 0.1
    if agent is None and noun_first and inside:
        # "a ceasefire between Israel and Hezbollah took effect": the parties inside act.
        return list(dict.fromkeys(m.actor for m in inside)), None, None, [], 0.8
    sides_inside = any(
        hit.start <= m.start and m.end <= hit.end and m.kind == "parties" for m in mentions
    )
    both = s[hit.start : hit.end].split()[0].lower() in load_lexicon().words["joint_acts"]
    if agent is None and noun_first and (sides_inside or both) and parties:
        # "talks between the two sides broke down", "the prisoner swap took place": the
        # story's two sides
        return list(parties[:2]), None, None, [], 0.7
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
            or (other.text.endswith("'s") and JOINT_HEAD.fullmatch(joint))
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


def location_of(s: str, hit: Hit, places: list[Place], offset: int, type_: str) -> str | None:
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

"""What several sentences say of one event, brought together: terms described in a
sentence of their own go to the proposal or deal they describe, and the same event told
twice (same type and actor, compatible target, modality and condition) becomes one that
keeps every evidence span."""

from __future__ import annotations

import re

from tracker.extract.candidate import Candidate
from tracker.extract.registry import Mention
from tracker.extract.sentences import Sentence
from tracker.extract.terms import find_terms, states_terms


def attach_terms(
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


def dedup(candidates: list[Candidate]) -> list[Candidate]:
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

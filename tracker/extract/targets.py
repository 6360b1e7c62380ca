"""Targets a sentence does not name outright: a deal "with the Houthis", a threat made on
the condition of a party's act, and (once per article, after dedup) a response aimed at
whoever made the proposal it answers, or with exactly two sides, one side's move facing
the other. Anyone else is left without a target rather than given a guessed one."""

from __future__ import annotations

import re

from tracker.extract.candidate import Candidate
from tracker.extract.registry import Mention

# An answer is aimed at whoever made the proposal it answers.
RESPONSES = {
    "proposal.accepted", "proposal.rejected", "proposal.countered", "proposal.under_review",
    "response.delivered",
}  # fmt: skip
# Between the two sides of a two-party negotiation, what one side does here faces the other.
_FACING = {
    "proposal.made", "demand.made", "threat.issued", "talks.scheduled", "talks.held",
    "agreement.reached", *RESPONSES,
}  # fmt: skip


def with_party(s: str, end: int, mentions: list[Mention], actors: list[str]) -> str | None:
    """The party of "agreed to a roadmap with X" (a deal between the two), if named."""
    after = [m for m in mentions if m.start >= end and m.actor and m.actor not in actors]
    if not after or not re.fullmatch(
        r"(?:\s+[\w'-]+){0,3}?\s+with\s+(?:the\s+)?", s[end : after[0].start]
    ):
        return None
    first = after[0]
    if first.text.endswith("'s") and len(after) > 1 and after[1].start - first.end <= 1:
        return after[1].actor  # "with Yemen's Houthis": the Houthis
    return first.actor


def condition_subject(
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


def fill_targets(merged: list[Candidate], parties: tuple[str, ...]) -> None:
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
        if c.type in RESPONSES:
            made_by = proposer.get(c.actor) or proposer.get("")
            if made_by and made_by != c.actor:
                c.target = made_by
                continue
        if c.type in _FACING and len(parties) == 2 and c.actor in parties:
            c.target = parties[1] if c.actor == parties[0] else parties[0]

"""Where a party stands in its sentence: its subject (after any dateline), the object of a
verb or preposition ("urged Hamas", "for Israel"), one of a joint "X and Y", the speaker
of a reported clause, or inside a relative clause set off by commas. Shared by role
assignment and by the article's pair of sides."""

from __future__ import annotations

import re

from tracker.extract.registry import Mention

# "Venezuela's government and the opposition ...": a head noun joins two parties.
JOINT_HEAD = re.compile(
    r"(?:\s+[a-z-]+){0,2}?\s+(?:government|army|military|forces|delegation|negotiators|leaders?|officials|"
    r"leadership|authorities)\s*(?:,|and|,\s*and)\s*(?:the\s+)?(?:opposition\s+|rebel\s+)?"
)
_GROUP_OF = re.compile(
    r"\b(?:delegation|delegations|team|teams|negotiators|officials|representatives|envoys?|"
    r"members|leaders|sources?|spokes(?:man|woman|person)|leadership|mediators|commanders|"
    r"ministers|diplomats|generals|troops|forces|soldiers|fighters)\s+(?:from|of|in)\s+"
    r"(?:the\s+)?$",
    re.I,
)
_OBJECT_VERBS = re.compile(
    r"\b(?:urged|urging|urge|called on|calls on|call on|pressed|pressing|asked|told|tells|"
    r"accused|accusing|accuses|warned|warning|encouraged|push for|pushed|for|with|to|against|"
    r"sent|sends|gave|gives|handed|hands|offered|offers|"
    r"from|between|at|toward|towards|over|about|under|among|than|like|of|in)\s+$",
    re.I,
)
_ASIDE = re.compile(r",\s+(?:who|which|whose|where)\b[^,;]*,")
_SPEAKER_VERB = re.compile(
    r"\b(?:said|says|told|believes|believed|thinks|argued|insisted|added|stated|warned)\b"
)


def relative_clauses(s: str, start: int) -> list[tuple[int, int]]:
    """Relative clauses set off by commas that do not hold the trigger: "Omani mediators,
    who brokered a truce between the two sides, are expected to host talks"."""
    return [m.span() for m in _ASIDE.finditer(s) if not m.start() <= start < m.end()]


def sentence_subject(s: str, candidates: list[Mention]) -> Mention | None:
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


def joined(s: str, after: list[Mention], start: int) -> list[str]:
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


def is_object(s: str, m: Mention) -> bool:
    """A mention that is the object of a verb or preposition ("urged Hamas", "for Israel")
    is not the subject of what follows in most wire copy."""
    left = s[max(0, m.start - 40) : m.start]
    if re.search(r"\b\w+(?:ing|ed)\s+(?:the|a|an)\s+$", left):
        return True  # "reviewing the Hamas response": inside an object
    if not _OBJECT_VERBS.search(left[-20:]):
        return False
    # "a delegation from Hamas", "officials of Egypt": the group is the party acting.
    return not re.search(_GROUP_OF, left)


def speaker_of(s: str, mentions: list[Mention], start: int, exclude: str) -> Mention | None:
    verb = None
    for m in _SPEAKER_VERB.finditer(s[:start]):
        verb = m
    if verb is None:
        return None
    before = [m for m in mentions if m.end <= verb.start() and m.actor != exclude]
    return before[-1] if before else None

"""Terms of a proposal or agreement: numbers with their noun ("over 30 hostages"),
durations ("six weeks", "over the next few weeks"), phases, and exchanges ("in return")."""

from __future__ import annotations

import re

from tracker.events import Term

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "a hundred": 100, "dozens of": 24,
    "hundreds of": 200, "thousands of": 2000, "a dozen": 12,
}  # fmt: skip
_UNITS = {
    "hostages": "hostage_release", "hostage": "hostage_release", "captives": "prisoner_release",
    "prisoners": "prisoner_release", "detainees": "prisoner_release",
    "days": "duration", "day": "duration", "weeks": "duration", "week": "duration",
    "months": "duration", "month": "duration", "hours": "duration", "years": "duration",
    "trucks": "aid", "troops": "withdrawal", "percent": "wage", "%": "wage",
    "phases": "phase", "stages": "phase", "cents": "wage", "dollars": "money",
}  # fmt: skip
_QUAL = (
    r"(?:(over|more than|up to|at least|about|around|nearly|some|fewer than|less than|"
    r"roughly|almost)\s+)?"
)
_NUM = r"(\d[\d,.]*|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_QUANTITY = re.compile(
    rf"\b{_QUAL}{_NUM}(?:[\s-]+(?:[A-Za-z-]+\s+){{0,2}}?)?\s*-?({_UNIT})(?![\w])", re.IGNORECASE
)
_SPAN = re.compile(
    r"\b(?:over|in|within|during|for)\s+the\s+(?:next|coming|following)\s+(?:few\s+|several\s+|two\s+|three\s+)?(?:days|weeks|months)\b",
    re.I,
)
_PHASE = re.compile(
    r"\b(?:first|second|third|final|initial)\s+(?:phase|stage)\b|\b\w+-(?:phase|stage)\b", re.I
)
_RETURN = re.compile(
    r"\b(?:release|free|hand over|exchange)\s+(?:[\w'-]+\s+){0,4}?"
    r"(?:prisoners|captives|detainees|hostages)\s+(?:in return|in exchange)\b",
    re.I,
)
_TERMS_CONTEXT = re.compile(
    r"\b(?:would|will|calls? for|includes?|including|envisages?|provides? for|under (?:the|which)|"
    r"in exchange|in return|requires?|would see|offers?|offered)\b",
    re.I,
)


def find_terms(sentence: str) -> list[Term]:
    terms: list[Term] = []
    seen: set[str] = set()

    def add(term: Term) -> None:
        if term.text.lower() not in seen:
            seen.add(term.text.lower())
            terms.append(term)

    for m in _QUANTITY.finditer(sentence):
        qualifier, number, unit = m.group(1), m.group(2).lower(), m.group(3).lower()
        try:
            quantity = float(_NUMBER_WORDS.get(number, number.replace(",", "")))
        except ValueError:
            quantity = None
        if unit in ("years",) or (quantity is not None and 1900 <= quantity <= 2100):
            continue
        add(Term(text=m.group().strip(), kind=_UNITS[unit], quantity=quantity,
                 qualifier=qualifier.lower() if qualifier else None, unit=unit))  # fmt: skip
    for m in _SPAN.finditer(sentence):
        add(Term(text=m.group(), kind="duration"))
    for m in _PHASE.finditer(sentence):
        add(Term(text=m.group(), kind="phase"))
    for m in _RETURN.finditer(sentence):
        add(Term(text=m.group(), kind="exchange"))
    return terms


def states_terms(sentence: str) -> bool:
    """A sentence that describes what a deal would contain, not something that happened."""
    return bool(_TERMS_CONTEXT.search(sentence))

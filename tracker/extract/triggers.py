"""The trigger lexicon (events/catalog.toml, field `triggers`) compiled to regular expressions.

Grammar of one trigger: words separated by spaces; `a|b` are alternatives; a word is matched
in all its inflections (propose: proposes, proposed, proposing) unless written `=word`;
`...` is a gap of up to five words; a leading `~` marks a noun trigger whose actor must stand
right before it ("Israel's latest proposal", "the Egyptian plan"); a leading `!` a consequence
that is a threat only when conditional or future ("would impose sanctions if", "would face
tariffs unless"); a leading `&` a verb that makes an event only with two parties as its
subject ("the two leaders agreed ... to open crossings")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from tracker.catalog import load_catalog
from tracker.events import NEGOTIATION_TYPES

_IRREGULAR = {
    "hold": ["held"], "meet": ["met"], "make": ["made"], "strike": ["struck", "stricken"],
    "break": ["broke", "broken"], "send": ["sent"], "give": ["gave", "given"],
    "take": ["took", "taken"], "sit": ["sat"], "begin": ["began", "begun"], "leave": ["left"],
    "fight": ["fought"], "say": ["said"], "withdraw": ["withdrew", "withdrawn"],
    "seek": ["sought"], "put": ["put"], "set": ["set"], "tell": ["told"], "come": ["came"],
    "go": ["went", "gone"], "throw": ["threw", "thrown"], "draw": ["drew", "drawn"],
    "write": ["wrote", "written"], "speak": ["spoke", "spoken"], "freeze": ["froze", "frozen"],
    "undertake": ["undertook", "undertaken"], "run": ["ran"], "fall": ["fell", "fallen"],
    "shoot": ["shot"], "lay": ["laid"], "pay": ["paid"], "win": ["won"], "bring": ["brought"],
    "stand": ["stood"], "hand": ["handed"], "spurn": ["spurned", "spurnt"],
}  # fmt: skip
_VOWELS = set("aeiou")
_PRONOUNS = {"it", "them", "this", "that"}  # "reviewing ... it", not "reviewing all its"


def inflect(lemma: str) -> list[str]:
    """The forms of a verb or noun lemma, generously: extra forms cost nothing."""
    forms = {lemma, *_IRREGULAR.get(lemma, [])}
    if " " in lemma or "-" in lemma[-1:]:
        return sorted(forms)
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in _VOWELS:
        stem = lemma[:-1]
        forms |= {stem + "ies", stem + "ied", lemma + "ing"}
    elif lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    else:
        forms |= {lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else "s")}
        forms |= {lemma + "ed", lemma + "ing"}
        if (
            len(lemma) >= 3
            and lemma[-1] not in _VOWELS | {"w", "x", "y"}
            and (lemma[-2] in _VOWELS and lemma[-3] not in _VOWELS)
        ):
            forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return sorted(forms)


@dataclass(frozen=True)
class Trigger:
    type: str
    text: str  # as written in the catalog
    noun: bool
    pattern: re.Pattern[str]
    first_words: frozenset[str]  # a sentence without any of these cannot match
    unreal: bool = False  # a threat only when conditional or future
    joint: bool = False  # an event only when two parties are the subject


@dataclass(frozen=True)
class Hit:
    type: str
    trigger: Trigger
    start: int  # offsets in the sentence
    end: int


# A gap's word may hold dots ("the U.S. proposal") but does not open another clause: "strike
# if no deal" is no deal struck.
_GAP = r"(?:\s+(?!(?:if|unless|when|whether|because|until|while|no|not)\b)[\w'.&$%-]+){0,5}?"


def compile_trigger(type_: str, text: str) -> Trigger:
    noun = text.startswith("~")
    unreal = text.startswith("!")
    joint = text.startswith("&")
    body = text.lstrip("~!&")
    parts: list[str] = []
    first: set[str] = set()
    pending_gap = False
    for token in body.split():
        if token == "...":
            pending_gap = True
            continue
        forms: list[str] = []
        for alt in token.split("|"):
            if alt.startswith("=") or alt in _PRONOUNS:
                forms.append(alt.lstrip("="))
            elif noun:  # a noun trigger takes only its plural: "plan" must not match "planned"
                forms.extend([alt, alt + ("es" if alt.endswith(("s", "x", "ch")) else "s")])
            else:
                forms.extend(inflect(alt))
        if not parts:
            first.update(f.lower() for f in forms)
        alternation = "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))
        if parts:  # a quotation mark may open or close inside a phrase: 'was "far from" what'
            parts.append(_GAP + r"\s+" if pending_gap else r"[\"']?\s+[\"']?")
        parts.append(f"(?:{alternation})")
        pending_gap = False
    regex = r"(?<![\w-])" + "".join(parts) + r"(?![\w-])"
    pattern = re.compile(regex, re.IGNORECASE)
    return Trigger(type_, text, noun, pattern, frozenset(first), unreal, joint)


@cache
def load_triggers() -> tuple[Trigger, ...]:
    catalog = load_catalog()
    triggers: list[Trigger] = []
    for type_ in NEGOTIATION_TYPES:
        for text in catalog.get(type_, {}).get("triggers", []):
            triggers.append(compile_trigger(type_, text))
    return tuple(triggers)


_WORD = re.compile(r"[\w'-]+")


@cache
def _index() -> dict[str, tuple[int, ...]]:
    """First word -> the triggers that can start with it, so a sentence tries only those."""
    index: dict[str, list[int]] = {}
    for i, trigger in enumerate(load_triggers()):
        for word in trigger.first_words:
            index.setdefault(word, []).append(i)
    return {word: tuple(ids) for word, ids in index.items()}


def find_hits(sentence: str) -> list[Hit]:
    """Every trigger match in a sentence (several types may overlap; the caller decides)."""
    index = _index()
    triggers = load_triggers()
    candidates: set[int] = set()
    for word in _WORD.findall(sentence.lower()):
        ids = index.get(word)
        if ids:
            candidates.update(ids)
    hits: list[Hit] = []
    for i in sorted(candidates):
        trigger = triggers[i]
        for m in trigger.pattern.finditer(sentence):
            hits.append(Hit(trigger.type, trigger, m.start(), m.end()))
    return hits

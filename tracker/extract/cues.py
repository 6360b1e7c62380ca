"""Cues around a trigger: conditions, modality, attribution, recaps. Plain rules over one
sentence of normalised text; each function says why it decides as it does."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from tracker.extract.dates import MONTHS
from tracker.extract.reporting import saying

# --- conditions --------------------------------------------------------------------------

_COND = re.compile(
    r"(?<![\w-])(?<!as )(?<!even )(?:if|unless|in case|provided that|providing that|as long as|"
    r"in the event that)\s+([^,;:]+)",
    re.IGNORECASE,
)
_ASKED_IF = re.compile(r"(?:ask|asked|asking|wonder|wondered|unclear|clear|know|see)\s+$", re.I)
_SHOULD_INV = re.compile(
    r"(?:^|,\s*|\bthat\s+|\band\s+)([Ss]hould|[Ww]ere)\s+([A-Z][^,;:]+|(?:the|both|either|it|they)\s[^,;:]+)"
)


@dataclass(frozen=True)
class Condition:
    start: int  # span of the whole conditional clause, keyword included
    end: int
    text: str  # the condition itself, without the keyword


def conditions(sentence: str) -> list[Condition]:
    found: list[Condition] = []
    for m in _COND.finditer(sentence):
        if _ASKED_IF.search(sentence[: m.start()]):
            continue
        text = _clean(m.group(1))
        if m.group().lower().startswith("unless"):
            text = f"unless {text}"  # not "if": the opposite
        found.append(Condition(m.start(), m.end(), text))
    for m in _SHOULD_INV.finditer(sentence):
        # "should Hamas reject the proposal, Israel would ...": inversion, a condition only
        # when a comma closes it and a consequent follows.
        rest = sentence[m.end() :]
        inverted = m.group(1).lower()
        if inverted == "were" and not re.search(r"\sto\s", m.group(2)):
            continue  # "were" inverts only as "were Hamas to reject"
        if rest.startswith(",") and len(rest) > 3:
            body = m.group(2)
            if inverted == "were":
                body = re.sub(r"\s+to\s+", " ", body, count=1)
            found.append(Condition(m.start(1), m.end(), finite(_clean(body))))
    return found


def _clean(text: str) -> str:
    text = text.strip().rstrip(".")
    text = re.sub(r"\s+(?:then)$", "", text)
    # "if Hamas should reject", "if Hamas were to reject": the plain present reads better.
    m = re.match(r"(.+?)\s+(?:should|were to|was to)\s+(.+)$", text)
    return finite(f"{m.group(1)} {m.group(2)}") if m else text


_DETERMINERS = {
    "the", "a", "an", "its", "their", "his", "her", "this", "that", "any", "either", "both", "all",
    "neither",
}  # fmt: skip
_NO_CONJUGATION = {
    "not", "be", "is", "are", "was", "were", "has", "have", "had", "will", "would", "can",
    "could", "may", "might", "must", "shall", "should", "does", "did", "to", "and", "or", "of",
}  # fmt: skip


def finite(text: str) -> str:
    """A subjunctive condition in the plain present: "Hamas reject the proposal" -> "Hamas
    rejects the proposal", "the union not ratify" -> "the union does not ratify". The subject
    is a run of capitalised words (a name) or a determiner and one noun; a plural subject
    ("the talks", "both sides", "the Houthis") keeps the verb as it is."""
    words = text.split()
    i = 1 if words and words[0].lower() in _DETERMINERS else 0
    if i >= len(words):
        return text
    if words[i][:1].isupper():
        while i < len(words) and (words[i][:1].isupper() or words[i] in ("of", "and")):
            i += 1
        head = words[i - 1]
        plural = head.endswith(("is", "ans", "ists"))
        if head.endswith(("'s", "'")) and i < len(words):
            head, i = words[i], i + 1  # "Israel's military enter Rafah": the noun is the head
            plural = head.endswith("s") and not head.endswith(("ss", "us", "is"))
    elif i == 0 and words[0].lower() in ("it", "he", "she", "they", "we", "you", "i"):
        i, head = 1, words[0]
        plural = head.lower() not in ("it", "he", "she")
    else:
        i += 1
        head = words[i - 1]
        plural = head.lower().endswith("s") and not head.lower().endswith(("ss", "us", "is"))
    if i >= len(words) or plural or i == 0:
        return text
    verb = words[i]
    if not verb.isalpha() or not verb.islower():
        return text
    if verb == "not":
        words[i] = "does not"
    elif verb == "be":
        words[i] = "is"
    elif verb == "have":
        words[i] = "has"
    elif verb in _NO_CONJUGATION or verb.endswith(("ed", "ing")):
        return text
    else:
        words[i] = third_person(verb)
    return " ".join(words)


def third_person(verb: str) -> str:
    if verb in ("do", "go"):
        return verb + "es"
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if len(verb) > 2 and verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


# --- modality ----------------------------------------------------------------------------

_CLAUSE_BREAK = re.compile(
    r"(?:[,;:]|\s-\s|\b(?:that|which|who|but|while|although|though|because|since|as|and|after|"
    r"before|when|until|once|whereas)\b)",
)
_NEG = re.compile(
    r"(?:\bnot\b|n't\b|\bnever\b|\bno longer\b|\bfailed to\b|\brefused to\b|\bdeclined to\b|"
    r"\bwithout\b|\bhas yet to\b|\bhave yet to\b|\bnor\b|\bneither\b)",
    re.I,
)
_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|dismissed (?:reports|claims)|rejected (?:reports|claims)|"
    r"false reports|refuted)\b",
    re.I,
)
_PREDICTED = re.compile(
    r"\b(?:likely|unlikely|probably|expected|could|may|might|poised|anticipated|predicted|"
    r"forecast|bound to|appears set|seems set|almost certainly)\b",
    re.I,
)
_PLANNED = re.compile(
    r"(?:\bwill\b|'ll\b|\bshall\b|\b(?:is|are|was|were) to\b|\bplans? to\b|\bplanning to\b|"
    r"\bplanned\b|\bintends? to\b|\bset to\b|\bdue to\b|\bscheduled\b|\bgoing to\b|"
    r"\babout to\b|\bshould\b)",
    re.I,
)
_DEONTIC = re.compile(r"\b(?:should|must|ought to|needs? to|has to|have to)\s+(?:\w+\s+)?$", re.I)
_WOULD = re.compile(r"\b(?:would|'d)\b", re.I)
_REPORTED = re.compile(
    r"\b(?:said|says|say|told|tells|confirmed|stated|announced|added|warned|insisted|noted|"
    r"believed|believes|thinks|thought|claimed|claims|argued|indicated|signalled|signaled|"
    r"hoped|hopes|expects|expected)\b",
    re.I,
)
_INF_PLANNED = re.compile(
    r"\b(?:plans?|planned|planning|intends?|intended|aims?|set|due|scheduled|going|about|"
    r"(?:is|are|was|were)|agreed|agrees|decided|decides|poised)"
    r"(?:\s+(?:on|in|late|early|last|this)\s+\w+|\s+\w+ly)?\s+to\s+$",
    re.I,
)
_INF_PREDICTED = re.compile(r"\b(?:expected|likely|unlikely|poised|bound|set)\s+to\s+$", re.I)
_INF_ASSERTED = re.compile(
    r"\b(?:continued|continues|continue|continuing|keeps|kept|went on)\s+to\s+$", re.I
)
_ASPIRATION = re.compile(
    r"\b(?:committed|dedicated|open|close|closer|hopeful|optimistic|aimed|aiming|focused|"
    r"working|work|efforts?|push|bid|hopes?|goal|aim|way)\s+(?:to|at|on|toward|towards)\s+$",
    re.I,
)
_INF_WILLING = re.compile(
    r"\b(?:ready|willing|prepared|voted|votes|vote|authori[sz]ed)\s+to\s+$", re.I
)  # "voted to accept" is an acceptance, "voted to strike" a threat
_INF_NEGATED = re.compile(r"\b(?:refused|refuses|declined|declines|failed|fails)\s+to\s+$", re.I)


@dataclass(frozen=True)
class Mood:
    modality: str  # asserted | planned | predicted | conditional | negated | drop | deontic
    condition: str | None = None


_SCOPE_BREAK = re.compile(
    r"(?:;|,\s*(?:and|but|while|although)\b|\s-\s|"
    r"\b(?:and|but)\s+(?:\w+ed|said|told|warned|threatened|vowed|added)\b)"
)


@cache
def _new_predication() -> re.Pattern[str]:
    """Where a sentence goes on to say something else: "; ", ", and", "and said", ", saying"
    ("denied involvement, saying it condemns the attack": the condemnation is not denied)."""
    return re.compile(rf"{_SCOPE_BREAK.pattern}|,\s*(?:{saying()})\b", re.I)


def _denied_scope(left: str) -> str:
    """The text before a trigger that a denial in it can reach: since the last new
    predication."""
    cut = 0
    for m in _new_predication().finditer(left):
        cut = m.end()
    return left[cut:]


def clause_left(sentence: str, start: int) -> str:
    """The text between the start of the trigger's clause and the trigger."""
    left = sentence[:start]
    cut = 0
    for m in _CLAUSE_BREAK.finditer(left):
        cut = m.end()
    return left[cut:]


def mood(sentence: str, start: int, end: int, conds: list[Condition]) -> Mood:
    """Decide how the sentence presents the event whose trigger spans [start, end)."""
    for cond in conds:
        if cond.start <= start < cond.end:
            return Mood("drop")  # the trigger is the condition itself, not an event
    left = sentence[:start]
    if left.endswith('"'):
        left = left[:-1]  # urged them to "return to dialogue": the quote opens the object
    near = clause_left(sentence, start)
    window = " ".join(left.split()[-6:])
    segment = left[left.rfind(",") + 1 :].lstrip()
    if segment.lower().startswith("to ") and not re.search(r"\bto\s+$", left):
        return Mood("drop")  # a purpose clause: ", to discuss the terms and provide a response"
    if _ASPIRATION.search(left):
        return Mood("drop")  # "committed to reaching a fair agreement": a goal, not an event
    if re.search(r"\bto\s+$", left):
        # An infinitive is the content of something else: "called on Hamas to accept".
        if _INF_WILLING.search(left):
            return Mood("willing")  # "ready to accept" is an acceptance; "ready to sign" is not
        if _INF_NEGATED.search(left):
            return Mood("negated")
        if re.search(r"\bunlikely\s+to\s+$", left, re.I):
            return Mood("unlikely")  # "unlikely to accept": a predicted refusal, nothing else
        if _INF_ASSERTED.search(left):
            return Mood("asserted")  # "continued to support"
        if _INF_PREDICTED.search(left):
            return Mood("predicted")
        if _INF_PLANNED.search(left):
            return Mood("planned")
        return Mood("drop")
    if re.search(r"\b(?:the|a|an|its|their|his|her|this|that)\s+$", left, re.I) and sentence[
        start:end
    ].lower().endswith("ed"):
        return Mood("drop")  # "the proposed deal": an adjective, not a verb
    neg_window = " ".join(near.split()[-6:])
    if _DENIAL.search(_denied_scope(left)):
        return Mood("negated")
    if _NEG.search(neg_window):
        return Mood("negated")
    # A condition before the trigger governs it; one after it only within the same clause.
    cond_text = next(
        (
            c.text
            for c in conds
            if c.end <= start
            or (c.start >= end and not _SCOPE_BREAK.search(sentence[end : c.start]))
        ),
        None,
    )
    if cond_text is not None:
        return Mood("conditional", cond_text)
    if _DEONTIC.search(near):
        return Mood("deontic")
    if re.search(r"\bunlikely\b", window, re.I):
        return Mood("drop")
    if _PREDICTED.search(window):
        return Mood("predicted")
    if _PLANNED.search(window):
        return Mood("planned")
    if _WOULD.search(window):
        # "X said it would ...": a future in reported speech is a plan; a bare "would"
        # describes a hypothetical (the terms of a deal) and states no event.
        return Mood("planned") if _REPORTED.search(left) else Mood("drop")
    return Mood("asserted")


# --- attribution -------------------------------------------------------------------------

_ACCORDING = re.compile(r"\b[Aa]ccording to\s+([^,;.]+)")
_SAYS = re.compile(
    r"([A-Z][\w'.-]*(?:\s+[\w'.-]+){0,6}?)\s+(?:have\s+|has\s+|had\s+)?(?:said|says|told|"
    r"confirmed|claimed|claims|stated|announced|reported|added|noted|insisted|warned|"
    r"acknowledged|asserted|argued|believe|believes|said on \w+)\b"
)
_POSTPOSED = re.compile(
    r",\s*([^,;]{2,80}?)\s+(?:said|says|told [\w ]+?|added|noted|confirmed)(?:\s+on\s+\w+)?\.?\"?$"
)
_ANONYMOUS = re.compile(
    r"\b(?:sources?|officials?|diplomats?|insiders?|person|people|anonymity|familiar|"
    r"briefed|not authori[sz]ed)\b",
    re.I,
)


def attribution(sentence: str, start: int) -> str | None:
    """Who the sentence says the event comes from: "according to X", the speaker of the
    nearest reporting verb before the trigger, or a closing "..., X said"."""
    m = _ACCORDING.search(sentence)
    if m:
        return m.group(1).strip()
    speaker = None
    for m in _SAYS.finditer(sentence[:start]):
        speaker = m.group(1).strip()
    if speaker:
        return re.sub(
            r"^(?:But|And|However|Meanwhile|Still|Yet|Also|Although|Though|The|In|On)\s+",
            "",
            speaker,
        )
    m = _POSTPOSED.search(sentence)
    if m:
        return m.group(1).strip()
    return None


def is_anonymous(source: str | None) -> bool:
    return bool(source and _ANONYMOUS.search(source))


# --- recaps ------------------------------------------------------------------------------

_YEAR = re.compile(
    r"\b(?:in|since|during|of|by|from|until|early|late|mid-?)\s+(?:\w+\s+)?((?:19|20)\d\d)\b", re.I
)
_OLD = re.compile(
    r"\b(?:last year|years ago|a year ago|months ago|earlier this year|in the past|previously|"
    r"last (?:spring|summer|autumn|fall|winter)|back in|at the time|the previous year|"
    r"two years ago|last month|over the (?:decades|years)|"
    r"for (?:several |many |two |three |\d+ )?(?:decades|years|generations)|"
    r"in late (?:19|20)\d\d|in early (?:19|20)\d\d)\b",
    re.I,
)
_MONTH_IN = re.compile(
    r"\b(?:in|since|during|early|late|mid-)\s+(" + "|".join(MONTHS) + r")\b(?!\s+\d)"
)
_RELATIVE = re.compile(r",\s+(?:who|which|whose|where|when)\b[^,;]*,")
_SAID = re.compile(r"\b(?:said|says|told|reported|according to)\b", re.I)
_PLUPERFECT = re.compile(r"\bhad\s+(?:\w+\s+)?$", re.I)


_SINCE = re.compile(r"\bsince\s+[^,;]*")


def is_recap(sentence: str, start: int, published: date | None, future: bool = False) -> bool:
    """Background, not news: an explicit past year, "last year", "last month", a month well
    before the article, or a pluperfect trigger ("had agreed"). A "since ..." clause after
    the trigger dates the state it measures ("the largest swap since the war began eight
    years ago"), not the trigger; the month of a plan, a prediction or a threat is ahead."""
    left = sentence[:start]
    sentence = _SINCE.sub(
        lambda m: m.group() if m.start() < start else " " * len(m.group()), sentence
    )
    if _PLUPERFECT.search(left) and not _DENIAL.search(left) and not _SAID.search(left):
        return True
    # Background inside a relative clause ("mediators, who brokered a truce in 2022, are
    # expected to host talks") dates that clause, not the trigger outside it.
    sentence = _RELATIVE.sub(
        lambda m: m.group() if m.start() <= start < m.end() else " " * len(m.group()), sentence
    )
    if _OLD.search(sentence):
        return True
    if published is None:
        return False
    for m in _YEAR.finditer(sentence):
        if int(m.group(1)) < published.year:
            return True
    for m in _MONTH_IN.finditer(sentence):
        month = MONTHS.index(m.group(1)) + 1
        if not future and (month > published.month or published.month - month >= 2):
            return True  # a plan's or threat's month is its next ("will strike in January")
    return False

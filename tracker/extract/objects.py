"""What a position, appeal, demand or threat is about: "supports [the latest ceasefire
agreement]", "calls on Hamas to [accept the deal]", "demands [a permanent ceasefire]",
"threatens to [invade Rafah]". The phrase is cut from the sentence after the trigger and kept
as a Term of kind "object", which the status shows as the position's object or the threat's
action. Plain rules: skip the target, a linking preposition or "to", then take words up to a
clause boundary."""

from __future__ import annotations

import re

from tracker.events import Term
from tracker.extract.registry import Mention
from tracker.extract.triggers import Hit

OBJECT_TYPES = frozenset(
    {"support.expressed", "opposition.expressed", "appeal.made", "demand.made", "threat.issued"}
)
_MAX_WORDS = 12
# Words that open a new clause, a reason or a report: the object ends before them.
_STOP_WORDS = {
    "that", "which", "who", "whom", "whose", "because", "as", "while", "but", "although",
    "though", "since", "after", "before", "until", "unless", "if", "when", "whereas", "saying",
    "said", "says", "amid", "despite", "so", "according", "adding", "noting", "warning",
    "where", "once", "even", "arguing", "calling", "citing", "stressing", "insisting", "than",
    "told", "telling", "officials", "hours", "days",
}  # fmt: skip
# "and" followed by one of these starts a second clause ("welcomed the deal and called for").
_PRONOUNS = {"it", "they", "he", "she", "we", "i", "you"}
_PAST = re.compile(r"[a-z]+ed|said|told|made|sent|met|held|gave|took|won|left|began")
_FINITE = {
    "remains", "says", "wants", "insists", "calls", "urges", "warns", "adds", "has", "is",
    "continues", "plans", "hopes", "believes", "expects", "argues", "stresses", "vows",
    "remain", "say", "want", "insist", "will", "would", "could", "may", "must", "should",
}  # fmt: skip
_TRAILING = re.compile(
    r"(?:\s+(?:on|by|this|last|next|late|early|earlier|later)\s+"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|year|night|"
    r"morning|evening|weekend|day|today|yesterday)\b.*"
    r"|\s+(?:on|in)\s+(?:a|an|its|his|her|their)\s+(?:statement|post|interview|speech|"
    r"briefing|letter|call|message)\b.*"
    r"|\s+(?:today|tonight|yesterday|again|also|too|anyway|instead|now|so far)\s*$)",
)
_FUNCTION_TAIL = {
    "the", "a", "an", "of", "to", "and", "or", "in", "on", "for", "with", "by", "at", "its",
    "their", "his", "her", "from", "any", "all", "this", "these", "those", "not", "be",
}  # fmt: skip
_EMPTY = {"it", "this", "that", "them", "these", "those", "him", "her", "so", "one", "such"}
_LINK = re.compile(
    r"^\s*(?:for|of|to|over|about|at|with|on|toward|towards|against|behind|by|that)\s+", re.I
)
# Nouns after which a stance names its object ("expressed support for X").
_STANCE_NOUNS = {
    "support", "opposition", "concern", "concerns", "alarm", "favor", "favour", "behind", "by",
    "against", "to", "for", "on", "of", "that", "threat",
}  # fmt: skip
_MODAL = re.compile(r"\b(?:would|will|could|'d|'ll|is going to|was going to)\s+(?:not\s+)?", re.I)
_TO = re.compile(r"(?<![\w-])to\s+(?=[a-z])")


def object_of(
    s: str, hit: Hit, type_: str, trigger_type: str, mentions: list[Mention]
) -> Term | None:
    """The object phrase of an event of `type_` whose trigger (of `trigger_type`, which may
    differ: an offensive that is only threatened) spans hit.start..hit.end in sentence s."""
    if type_ not in OBJECT_TYPES:
        return None
    matched = s[hit.start : hit.end]
    last = matched.split()[-1].lower() if matched.split() else ""
    rest = s[hit.end :]
    phrase: str | None = None
    if trigger_type != type_ and trigger_type in ("military.action", "opposition.expressed"):
        # "would invade Rafah", "would block the deal": the act itself is the threat.
        phrase = _cut(s[hit.start :])
    elif type_ == "appeal.made" and trigger_type not in ("appeal.made", "demand.made"):
        # "X said Hamas should accept the agreement": the appeal asks for the act.
        phrase = _cut(s[hit.start :])
    elif type_ == "appeal.made":
        phrase = _after_target(rest, mentions, hit.end, last)
    elif last in ("precondition", "preconditions", "line", "lines"):
        phrase = None  # "a red line", "a precondition for": the demand is stated elsewhere
    elif type_ == "threat.issued":
        phrase = _threatened(rest, matched, last)
    else:
        start = rest
        if " " in matched.strip() and last not in _STANCE_NOUNS and hit.trigger.text.count(" "):
            # "block the deal", "seeks guarantees": the trigger's own tail is the object.
            first = re.match(r"\s*\S+\s+", matched)
            start = matched[first.end() :] + rest if first else rest
        phrase = _cut(_LINK.sub("", start, count=1))
    if not phrase:
        return None
    return Term(text=phrase, kind="object")


def _after_target(rest: str, mentions: list[Mention], offset: int, last: str) -> str | None:
    """ "called on Hamas to accept X" -> "accept X"; "called for a truce" -> "a truce";
    "urged restraint" -> "restraint"."""
    if last == "for":
        return _cut(rest)
    words = rest.split()
    head = " ".join(words[:10])
    m = _TO.search(head)
    if m:
        # the target (and any "both sides", "the parties") stands before "to".
        before = head[: m.start()]
        if not re.search(r"[,;:]|\b(?:and said|saying)\b", before):
            return _cut(rest[rest.find(head) + m.end() :])
    m_for = re.match(r"\s*(?:\S+\s+){0,4}?for\s+", rest)
    if m_for and not re.search(r"[,;:]", m_for.group()):
        return _cut(rest[m_for.end() :])
    stripped = rest.lstrip()
    at = offset + len(rest) - len(stripped)
    if stripped[:1].islower() and not any(m.start == at for m in mentions):
        return _cut(stripped)  # "urged restraint"
    return None


def _threatened(rest: str, matched: str, last: str) -> str | None:
    if last in ("that", "it", "would", "will"):
        # "warned that Israel would invade Rafah" -> "invade Rafah".
        if last in ("would", "will"):
            return _cut(rest)
        flat = " ".join(rest.split())
        m = _MODAL.search(" ".join(flat.split()[:8]))
        if not m:
            return None
        subject = flat[: m.start()].strip()
        if subject.lower().startswith("that "):
            subject = subject[5:]
        own = subject.split()[0].lower() in ("its", "their", "our") if subject else False
        if subject and not own and subject.lower() not in _PRONOUNS and subject[:1].islower():
            # "warned that more plants could be hit": the subject is part of the threat
            # ("its 4,000 members would walk off the job": the party's own people act).
            return _cut(flat[flat.find(subject) :])
        return _cut(flat[m.end() :])
    if last == "of":
        return _cut(rest)  # "warned of retaliation"
    if last == "to":
        return _cut(rest)  # "vowed to retaliate", "a threat to walk out"
    m = re.match(r"\s*to\s+", rest)
    if m:
        return _cut(rest[m.end() :])  # "threatened to walk out"
    m = re.match(r"\s*(?:\S+\s+){0,6}?to\s+(?=[a-z])", rest)
    if m and re.search(r"ultimatum|deadline", matched, re.I) and "," not in m.group():
        return _cut(rest[m.end() :])  # "gave Hamas an ultimatum to release the hostages"
    if re.match(r"\s*[a-z]", rest) and re.match(r"threat", matched, re.I):
        return _cut(rest)  # "threatened sanctions", "threatened a strike"
    return None


def _cut(text: str) -> str | None:
    """Words up to a clause boundary, at most _MAX_WORDS, without a trailing date or a
    dangling function word."""
    text = text.lstrip().lstrip("\"'")  # 'threatened "additional consequences"'
    m = re.search(r'(?<!\d)[,.]|[,.](?!\d)|[;:!?"()\[\]]|\s-\s', text)  # not "4,000", "1.5"
    if m:
        text = text[: m.start()]
    words = text.split()
    kept: list[str] = []
    for i, word in enumerate(words):
        low = word.lower()
        if low in _STOP_WORDS and i > 0:
            break
        if low in ("and", "or", "but") and i + 1 < len(words):
            nxt = words[i + 1]
            if nxt.lower() in _PRONOUNS or nxt in _FINITE or _PAST.fullmatch(nxt):
                break
        kept.append(word)
        if len(kept) >= _MAX_WORDS:
            # cut short: a dangling "and avoid" says less than nothing
            for j in range(len(kept) - 1, max(len(kept) - 3, 0), -1):
                if kept[j].lower() in ("and", "or"):
                    del kept[j:]
                    break
            break
    text = _TRAILING.sub("", " ".join(kept))
    words = text.split()
    while words and words[-1].lower() in _FUNCTION_TAIL:
        words.pop()
    while words and words[0].lower() in ("to", "that"):
        words.pop(0)
    if not words or (len(words) == 1 and words[0].lower() in _EMPTY):
        return None
    return " ".join(words)

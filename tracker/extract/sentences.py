"""Sentence splitting by rule: fast, offline, and good enough for wire copy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

# Abbreviations whose full stop does not end a sentence.
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "sen", "rep",
    "gov", "st", "jr", "sr", "no", "vs", "etc", "inc", "corp", "ltd", "co", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n",
    "u.k", "e.u", "a.m", "p.m", "i.e", "e.g", "approx", "dept", "adm", "amb", "pres",
}  # fmt: skip
# Words that open a sentence and never follow an abbreviation inside one: "... against the
# U.S. The Taliban denounced" is two sentences, "U.S. officials" one.
_OPENERS = {
    "the", "a", "an", "it", "he", "she", "they", "we", "i", "but", "this", "these", "those",
    "his", "her", "their", "its", "our", "there", "however", "meanwhile",
}  # fmt: skip
# A subhead glued to the paragraph after it ("Trump approval During a visit ...", "The attack
# The Jaffar Express, with ..."): within its first words the text capitalises a word that
# only opens a sentence, after a word that does not bind a name to it ("told The Associated
# Press", "in The Hague"). The capitalised plurals and "A" need a lowercase word before them
# ("White House Officials", "Plan A").
_SUBHEAD_OPENERS = {
    "The", "It", "He", "She", "They", "We", "But", "This", "These", "Those", "His", "Her",
    "Their", "Its", "Our", "There", "However", "Meanwhile", "During", "Although", "Though",
    "Since", "Even", "While", "When", "After", "Before", "Despite", "According", "Unlike",
    "Yet", "Many", "Some", "Most", "Both",
}  # fmt: skip
_AFTER_LOWERCASE = {"A", "An", "Hours", "Days", "Officials", "Politicians", "Authorities"}
_BINDING = {
    "of", "in", "at", "on", "to", "by", "from", "with", "for", "into", "about", "and", "or",
    "than", "as", "via", "against", "told", "tells", "said", "says", "called", "named",
    "read", "reads", "wrote", "the", "a", "an",
}  # fmt: skip
_HEAD_WORDS = 6
_PAST = re.compile(r"[a-z]ed$|^(?:also|was|were|is|are|has|had|have|will|would)$")
_END = re.compile(r"""[.!?]+["')\]]*(?=\s+["'(\[]?[A-Z0-9])|\n+""")


@dataclass(frozen=True)
class Sentence:
    start: int  # offsets into the normalised text
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        if _abbreviation(text, start, match):
            continue
        end = match.end() if not match.group().startswith("\n") else match.start()
        _add(sentences, text, start, end)
        start = match.end()
    _add(sentences, text, start, len(text))
    return sentences


def _abbreviation(text: str, start: int, match: re.Match[str]) -> bool:
    """The full stop ends an abbreviation ("U.S. officials", "Mr. Smith"), not the sentence;
    a closing quote or bracket after it, or a sentence-opening word, ends the sentence."""
    if set(match.group()) != {"."}:
        return False
    word = re.search(r"([\w.]+)$", text[start : match.start()])
    token = word.group(1).lower() if word else ""
    if token not in _ABBREV and not (len(token) == 1 and token.isalpha()):
        return False
    after = re.match(r"\s+(\w+)", text[match.end() :])
    return not (after and after.group(1).lower() in _OPENERS)


def paragraph_span(text: str, sentence: Sentence) -> tuple[int, int]:
    """The start and end of the paragraph (the text between newlines) holding the sentence."""
    start = text.rfind("\n", 0, sentence.start) + 1
    end = text.find("\n", sentence.end)
    return start, len(text) if end < 0 else end


def passages(text: str, sentences: list[Sentence]) -> dict[int, tuple[int, int]]:
    """For each sentence (by start), its passage: the paragraph holding it, but no more than
    two sentences either side. Some feeds run a story's paragraphs together, and the whole
    story is no passage."""
    out: dict[int, tuple[int, int]] = {}
    for i, sentence in enumerate(sentences):
        start, end = paragraph_span(text, sentence)
        first = sentences[max(0, i - _REACH)].start
        last = sentences[min(len(sentences) - 1, i + _REACH)].end
        out[sentence.start] = (max(start, first), min(end, last))
    return out


_REACH = 2  # sentences either side


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    # Leading spaces and stray punctuation (a stripped dateline's "( -") are not the sentence.
    while start < end and (text[start].isspace() or text[start] in "()-*|>#"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return
    cut = _subhead_end(text[start:end])
    if cut:
        head = text[start : start + cut].rstrip()
        sentences.append(Sentence(start, start + len(head), head))
        start += cut
    sentences.append(Sentence(start, end, text[start:end]))


def _subhead_end(sentence: str) -> int:
    """Where the next sentence starts after a subhead glued to it, or 0."""
    words = list(re.finditer(r"\S+", sentence[:300]))[: _HEAD_WORDS + 1]
    for before, word in pairwise(words):
        if re.search(r"[,;:\"“”()]", before.group()) or _PAST.search(before.group()):
            return 0  # a subhead is a phrase: "Trump also attacked The Wall Street Journal"
        token, previous = word.group(), before.group()
        if previous.lower() in _BINDING:
            continue
        if token in _SUBHEAD_OPENERS or (token in _AFTER_LOWERCASE and previous.islower()):
            return word.start()
    return 0

"""Sentence splitting by rule: fast, offline, and good enough for wire copy."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    if end > start:
        sentences.append(Sentence(start, end, text[start:end]))

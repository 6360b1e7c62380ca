"""Text that names parties without reporting their moves in this story: asides about another
matter ("Pakistan is also in talks with the IMF ...") and commentators' views ("said an
analyst at ..."). Real news is full of both; they were the main source of false events."""

from __future__ import annotations

import re

from tracker.extract.frame_lexicon import load_lexicon
from tracker.extract.registry import Mention
from tracker.extract.sentences import Sentence

# "also", "elsewhere", "separately": the sentence turns to something beside the story.
_ASIDE_CUE = re.compile(r"\b(?:also|elsewhere|separately|in a separate)\b", re.I)
_COMMENTATOR = (
    r"(?:analysts?|experts?|professors?|researchers?|scholars?|fellows?|lecturers?|"
    r"commentators?|economists?|observers?|specialists?|consultants?|historians?|"
    r"former\s+(?:diplomats?|officials?|ambassadors?|negotiators?))"
)
# "said an analyst at ...", "Analysts said", "experts say", "according to a researcher".
_COMMENTARY = re.compile(
    rf"\b(?:said|says|according\s+to|wrote|writes|argued|argues)\s+(?:\w+\s+){{0,3}}"
    rf"{_COMMENTATOR}\b|\b{_COMMENTATOR}\s+(?:\w+\s+){{0,4}}?(?:said|say|says|argued|argue|"
    rf"noted|note|wrote|believe|believed)\b",
    re.I,
)
_QUOTE = re.compile(r'"')
# Page furniture, not the story: bylines, photo captions, "Read more" lists, credits.
_FURNITURE = re.compile(
    r"^(?:By\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+)*(?:(?:,|\s+and)\s+[A-Z][\w.'-]+"
    r"(?:\s+[A-Z][\w.'-]+)*)*\s*$|(?:Photo|FILE PHOTO|Pictured|Caption|Image)\b.*|"
    r"\((?:Reporting|Writing|Editing|Additional reporting)\b.*|"
    r"(?:Read more|Related coverage|Related|See also|Our Standards)\b.*|"
    r".*\b\w+/(?:Staff|Handout|File)\s*$)",
    re.M,
)


def page_furniture(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in _FURNITURE.finditer(text)]
    # The lines of a "Read more:" list are headlines of other stories.
    for m in re.finditer(r"^(?:Read more|Related coverage|Related|See also):?\s*$", text, re.M):
        spans.append((m.start(), len(text) if len(text) - m.end() < 400 else m.end()))
    return spans


def asides(text: str, sentences: list[Sentence], mentions: list[Mention]) -> list[Sentence]:
    """Sentences that turn aside ("also", "elsewhere") to a party the article has not named
    before: "The envoy is also due in Yerevan, where the EU has offered to host talks between
    Armenia and Azerbaijan", "U.S. officials were also pressing Israel and Hamas"."""
    seen: set[str] = set()
    out: list[Sentence] = []
    for sentence in sentences:
        here = [m for m in mentions if sentence.start <= m.start < sentence.end and m.actor]
        cue = _ASIDE_CUE.search(sentence.text)
        if cue is not None and not _about_the_deal(sentence.text, cue.start()):
            pos = sentence.start + (0 if cue.start() < 12 else cue.start())
            if any(m.start >= pos and not m.anaphor and m.actor not in seen for m in here):
                out.append(sentence)
        seen |= {m.actor for m in here}
    return out


def _about_the_deal(sentence: str, cue: int) -> bool:
    """Whether a sentence is about the story's own proposal or deal: it opens with it as its
    subject ("The proposed deal also has the backing of India"), or what follows the cue
    speaks of it ("Poland also said it opposed the deal"). More about the matter, not an
    aside."""
    nouns = load_lexicon().words["content_nouns"]
    found = _THE_NOUN.match(sentence[:cue])
    if found is not None and found.group(1).lower() in nouns:
        return True
    return any(
        nouns & {w.lower() for w in m.groups() if w} for m in _THE_DEAL.finditer(sentence, cue)
    )


_THE_NOUN = re.compile(r"\s*(?:The|This)\s+(?:[\w-]+\s+){0,2}?([a-z]+?)s?\s+$")
# "the deal", "the proposed deal", "the Mercosur agreement": the story's own, not "a deal"
_THE_DEAL = re.compile(r"\b(?:the|this)\s+([\w-]+)(?:\s+([a-z]+))?")


def commentary(sentences: list[Sentence], around: dict[int, tuple[int, int]]) -> set[int]:
    """Starts of sentences a commentator speaks: the sentence naming one as its speaker, and
    the quoted sentences of its passage (`around`, sentences.passages: "'What X can still
    offer is ...,' said an analyst"). A commentator makes no party's move; only a prediction
    may come from one."""
    out: set[int] = set()
    for sentence in sentences:
        if not _COMMENTARY.search(sentence.text):
            continue
        out.add(sentence.start)
        start, end = around[sentence.start]
        for other in sentences:
            if start <= other.start < end and _QUOTE.search(other.text):
                out.add(other.start)
    return out


def blank(text: str, spans: list[Sentence]) -> str:
    """The text with the given sentences blanked out (same length, so offsets hold)."""
    if not spans:
        return text
    chars = list(text)
    for s in spans:
        chars[s.start : s.end] = " " * (s.end - s.start)
    return "".join(chars)

"""Text normalisation with a map back to the original: evidence must point into the article
as given, while matching runs on plain ASCII quotes and dashes and single spaces."""

from __future__ import annotations

import re
from dataclasses import dataclass

# One character in, one (or a few) out. Quotes and dashes become ASCII so that lexicon
# entries need one spelling; zero-width characters vanish.
_REPLACE = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u2026": "...", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\u00ad": "",
}  # fmt: skip


@dataclass(frozen=True)
class Normalised:
    """`text` is the normalised text; `offsets[i]` is the original index of text[i], and
    offsets[len(text)] the original length, so any span [a, b) maps back."""

    text: str
    offsets: list[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1


_SPECIAL = re.compile("[" + re.escape("".join(_REPLACE)) + r"]|\s+")


def normalise(original: str) -> Normalised:
    """Plain stretches are copied whole (their offsets as ranges); only replaced characters
    and whitespace runs are looked at one by one. Leading whitespace is dropped."""
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _SPECIAL.finditer(original):
        if m.start() > pos:
            out.append(original[pos : m.start()])
            offsets.extend(range(pos, m.start()))
        piece = m.group()
        if piece in _REPLACE and not piece.isspace():
            replacement = _REPLACE[piece]
            out.append(replacement)
            offsets.extend([m.start()] * len(replacement))
        elif offsets:
            # A run of whitespace: one space, or a newline when it holds a line break, so
            # that sentences never span paragraphs. NBSP and thin spaces count as spaces.
            out.append("\n" if "\n" in piece else " ")
            offsets.append(m.start())
        pos = m.end()
    if pos < len(original):
        out.append(original[pos:])
        offsets.extend(range(pos, len(original)))
    text = "".join(out)
    if text.endswith((" ", "\n")):
        text = text[:-1]
        offsets.pop()
    offsets.append(len(original))
    return Normalised(text, offsets)

"""Text normalisation with a map back to the original: evidence must point into the article
as given, while matching runs on plain ASCII quotes and dashes and single spaces."""

from __future__ import annotations

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


def normalise(original: str) -> Normalised:
    out: list[str] = []
    offsets: list[int] = []
    pending_space = -1  # original index of the first whitespace of a run not yet written
    newlines = 0
    for index, char in enumerate(original):
        char = _REPLACE.get(char, char)
        if char == "":
            continue
        if len(char) == 1 and char.isspace():
            if pending_space < 0:
                pending_space = index
            if char == "\n":
                newlines += 1
            continue
        if pending_space >= 0:
            if out:
                # A blank line is a paragraph break: keep it so sentences never span it.
                out.append("\n" if newlines >= 1 else " ")
                offsets.append(pending_space)
            pending_space, newlines = -1, 0
        for piece in char:
            out.append(piece)
            offsets.append(index)
    offsets.append(len(original))
    return Normalised("".join(out), offsets)

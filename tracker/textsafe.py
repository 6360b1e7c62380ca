"""Article and feed text is untrusted: before it reaches a terminal or a Markdown file, control
characters (ESC sequences that recolour, retitle or rewrite a terminal, carriage returns that
overwrite a line, C1 controls) and bidirectional overrides are written out as visible escapes
(`\\x1b`), so they show instead of acting. Line breaks and tabs are kept."""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    return _UNSAFE.sub(_visible, text)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~])")


def md(text: object) -> str:
    """Escape CommonMark punctuation (a backslash before any of it is always valid) and fold
    newlines, so article text cannot open HTML, links, emphasis or a new table row."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(printable(str(text)).split()))

"""HTML fragments of feed entries (already sanitised by feedparser) to plain text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "pre", "tr", "table", "section", "article", "header", "footer", "figure", "figcaption", "hr",
}  # fmt: skip
_SKIP = {"script", "style", "template", "noscript"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_GAPS = re.compile(r"\n\s*\n+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Paragraphs separated by a blank line, runs of spaces collapsed, no tags."""
    if "<" not in fragment and "&" not in fragment:
        return normalise(fragment)
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return normalise("".join(parser.parts))


def normalise(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n"))
    return _GAPS.sub("\n\n", "\n".join(lines)).strip()

"""Feed bytes -> entries, with feedparser. Never crashes on a broken feed: a malformed feed that
can still be read (bozo) comes back with a warning; one that cannot raises FeedUnreadable with
the reason. Hostile DTDs (external entities, entity expansion) are refused before parsing, so
nothing from an external entity is ever read and no entity is ever expanded."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

from tracker.errors import TrackerError
from tracker.feeds.text import html_to_text, normalise

MAX_TEXT_CHARS = 1_000_000  # longer entry text is cut here, and the poll says so
_HEAD_BYTES = 64 * 1024

_DOCTYPE = re.compile(r"<!DOCTYPE\b[^\[>]*\[(.*?)\]\s*>", re.DOTALL | re.IGNORECASE)
_ENTITY = re.compile(r"<!ENTITY\s+(%\s*)?([\w.:-]+)\s+(.*?)>", re.DOTALL | re.IGNORECASE)
_XML_ENCODING = re.compile(r"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']""", re.IGNORECASE)
_HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.DOTALL | re.I)
_FEED_ROOT = re.compile(r"<(rss|feed|rdf:rdf|channel)[\s>]", re.IGNORECASE)
_ALTERNATE = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*["']([^"']*)["']""")
_UTF8 = ("utf-8", "utf8")
# A character reference, decimal or hex; its digits are bounded only so a huge number stays
# cheap to read (any value past 0x10FFFF is no character either way).
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,16})|([0-9]{1,20}));")
_WIDE = (  # byte-order marks and first bytes of a document not in an ASCII-compatible encoding
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)


class FeedUnreadable(TrackerError):
    """The bytes are not a feed that can be read; the message says why, in one line."""


@dataclass(frozen=True)
class Entry:
    guid: str | None
    link: str | None
    title: str
    text: str
    summary_only: bool  # the feed gave a summary, not the full content
    published: date | None
    updated: tuple[int, ...] | None = None  # for choosing the newest revision of an id
    truncated_from: int | None = None

    @property
    def content_hash(self) -> str:
        body = normalise(f"{self.title}\n{self.text}")
        return hashlib.sha256(body.encode("utf-8")).hexdigest()

    @property
    def keys(self) -> tuple[str, ...]:
        """Dedup keys, strongest first: guid, then link, then content hash."""
        keys = []
        if self.guid:
            keys.append(f"guid:{self.guid}")
        if self.link:
            keys.append(f"link:{self.link}")
        keys.append(f"sha256:{self.content_hash}")
        return tuple(keys)


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    entries: list[Entry]
    found: int  # entries in the document, repeats included
    warnings: list[str] = field(default_factory=list)

    @property
    def warning(self) -> str | None:
        return "; ".join(self.warnings) or None


def parse_feed(content: bytes, url: str, headers: Mapping[str, str] | None = None) -> ParsedFeed:
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    if not content.strip():
        raise FeedUnreadable("empty response: no content at all (not a feed with no entries)")
    head = _sniff(content[:_HEAD_BYTES])
    _refuse_hostile_dtd(head)
    if _HTML_START.match(head) or (not _FEED_ROOT.search(head) and "<html" in head.lower()):
        raise FeedUnreadable(_html_reason(head, url))
    warnings: list[str] = []
    content = _repair_utf8(content, head, headers, warnings)
    content = _repair_char_refs(content, warnings)
    location = headers.get("content-location")
    response_headers = {**headers, "content-location": urljoin(url, location) if location else url}
    if "content-type" not in response_headers:
        response_headers["content-type"] = "application/xml"
    try:
        parsed = feedparser.parse(
            content,  # always bytes: given a str, feedparser would open URLs and files itself
            response_headers=response_headers,
            sanitize_html=True,
            resolve_relative_uris=True,
        )
    except Exception as exc:  # feedparser promises not to raise; do not let a bug stop a poll
        raise FeedUnreadable(f"feedparser failed: {type(exc).__name__}: {exc}") from exc
    return _read(parsed, warnings)


def _sniff(head_bytes: bytes) -> str:
    """Enough of the document as text to look at its prolog, whatever its encoding."""
    codec = _wide_codec(head_bytes)
    if codec:
        return head_bytes.decode(codec, errors="replace").lstrip("\ufeff")
    return head_bytes.decode("latin-1").removeprefix("\xef\xbb\xbf")


def _wide_codec(head_bytes: bytes) -> str | None:
    return next((codec for bom, codec in _WIDE if head_bytes.startswith(bom)), None)


def _refuse_hostile_dtd(head: str) -> None:
    for subset in _DOCTYPE.findall(head):
        for parameter, name, body in _ENTITY.findall(subset):
            if parameter:
                continue  # only shapes the DTD, which feedparser strips and expat never fetches
            if re.match(r"(SYSTEM|PUBLIC)\b", body.strip(), re.IGNORECASE):
                raise FeedUnreadable(
                    f"refused: the DTD declares an external entity &{name}; (it was not read)"
                )
            if "&" in body or "%" in body:
                raise FeedUnreadable(
                    f"refused: the DTD declares an entity &{name}; built from other entities "
                    "(entity expansion)"
                )


def _html_reason(head: str, url: str) -> str:
    feeds = []
    for tag in _ALTERNATE.findall(head):
        attrs = {k.lower(): v for k, v in _ATTR.findall(tag)}
        kind = attrs.get("type", "").lower()
        if attrs.get("rel", "").lower() == "alternate" and ("rss" in kind or "atom" in kind):
            feeds.append(urljoin(url, attrs.get("href", "")))
    hint = f"; it advertises {', '.join(feeds)}" if feeds else ""
    return f"the content is an HTML page, not an RSS or Atom feed{hint}"


def _repair_utf8(
    content: bytes, head: str, headers: Mapping[str, str], warnings: list[str]
) -> bytes:
    """A document that says it is UTF-8 but holds invalid bytes: replace them with U+FFFD and
    say where, rather than let feedparser guess another encoding and garble every entry."""
    declared = _XML_ENCODING.match(head)
    charset = re.search(r"charset=([\w.:-]+)", headers.get("content-type", ""), re.I)
    if not declared or declared[1].lower() not in _UTF8:
        return content
    if charset and charset[1].lower() not in _UTF8:
        return content
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        warnings.append(
            f"invalid UTF-8 bytes from offset {exc.start} (line {line}) replaced with U+FFFD"
        )
        return content.decode("utf-8", errors="replace").encode("utf-8")
    return content


def _repair_char_refs(content: bytes, warnings: list[str]) -> bytes:
    """Character references to no XML character (a lone surrogate such as &#xD800;, a number
    past U+10FFFF, a control character) become U+FFFD, and the feed says where: feedparser
    crashes on the first two, and text holding them cannot be stored or encoded. The rest of
    the feed is read as usual."""
    codec = _wide_codec(content[:4])
    raw = content.decode(codec, errors="replace").encode("utf-8") if codec else content
    bad: list[int] = []

    def replace(match: re.Match[bytes]) -> bytes:
        hex_digits, digits = match.groups()
        if _is_xml_char(int(hex_digits, 16) if hex_digits else int(digits)):
            return match[0]
        bad.append(match.start())
        return b"&#xFFFD;"

    fixed = _CHAR_REF.sub(replace, raw)
    if not bad:
        return content
    line = raw.count(b"\n", 0, bad[0]) + 1
    warnings.append(
        f"{len(bad)} character reference(s) to no character replaced with U+FFFD "
        f"(the first on line {line})"
    )
    return fixed.decode("utf-8").encode(codec) if codec else fixed


def _is_xml_char(code: int) -> bool:
    """XML 1.0's Char production: tab, line breaks and the code points from U+0020 on, less
    the surrogates, U+FFFE and U+FFFF."""
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _read(parsed: Any, warnings: list[str]) -> ParsedFeed:
    feed = parsed.get("feed", {})
    raw_entries = parsed.get("entries", [])
    problem = parsed.get("bozo_exception")
    reason = f"{type(problem).__name__}: {problem}" if problem else "no feed found"
    if not raw_entries and not feed:
        # Nothing at all came out: a feed with no entries still has channel data.
        if not parsed.get("version"):
            raise FeedUnreadable(f"not an RSS or Atom feed ({reason})")
        if parsed.get("bozo"):
            raise FeedUnreadable(f"unreadable feed ({reason})")
    if parsed.get("bozo") and problem is not None:
        warnings.append(f"malformed feed read anyway ({reason})")
    entries = [_entry(raw) for raw in raw_entries]
    truncated = [e for e in entries if e.truncated_from]
    if truncated:
        warnings.append(
            f"{len(truncated)} entry text(s) cut to {MAX_TEXT_CHARS:,} characters "
            f"(longest was {max(e.truncated_from or 0 for e in truncated):,})"
        )
    kept = _newest_revisions(entries, warnings)
    return ParsedFeed(html_to_text(feed.get("title", "")), kept, len(raw_entries), warnings)


def _entry(raw: Any) -> Entry:
    contents = [c for c in raw.get("content", []) if c.get("value")]
    body = max(contents, key=lambda c: len(c["value"])) if contents else None
    html = body["value"] if body else raw.get("summary", "")
    text = html_to_text(html)
    title = html_to_text(raw.get("title", ""))
    truncated_from = None
    if len(text) > MAX_TEXT_CHARS:
        truncated_from, text = len(text), text[:MAX_TEXT_CHARS]
    when = raw.get("published_parsed") or dict.get(raw, "updated_parsed")
    # dict.get: feedparser's own get() maps a missing updated_parsed to published_parsed, warning
    updated = dict.get(raw, "updated_parsed") or raw.get("published_parsed")
    return Entry(
        guid=(raw.get("id") or "").strip() or None,
        link=(raw.get("link") or "").strip() or None,
        title=title,
        text=text or title,
        summary_only=not contents,
        published=_date(when),
        updated=tuple(updated[:6]) if updated else None,
        truncated_from=truncated_from,
    )


def _date(value: time.struct_time | None) -> date | None:
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC).date()
    except (TypeError, ValueError):
        return None


def _newest_revisions(entries: list[Entry], warnings: list[str]) -> list[Entry]:
    """Entries sharing an id are one entry (RFC 4287 4.1.1): keep its newest revision, the first
    one where they tie, in the place where the id first appears."""
    best: dict[str, Entry] = {}
    for entry in entries:
        if entry.guid is None:
            continue
        held = best.get(entry.guid)
        if held is None or (entry.updated or ()) > (held.updated or ()):
            best[entry.guid] = entry
    repeats = len([e for e in entries if e.guid]) - len(best)
    if repeats:
        warnings.append(f"{repeats} entries repeat an id; kept the newest revision of each")
    kept, placed = [], set()
    for entry in entries:
        if entry.guid is None:
            kept.append(entry)
        elif entry.guid not in placed:
            placed.add(entry.guid)
            kept.append(best[entry.guid])
    return kept

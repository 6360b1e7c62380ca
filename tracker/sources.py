"""Where articles come from: article JSON, plain text (with an optional sidecar
`<file>.meta.json`), HTML (main text by trafilatura) and URLs (tracker.http.fetch).
Every failure is one TrackerError line; nothing is stored before an article is whole."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tracker.article import Article
from tracker.errors import TrackerError
from tracker.slugs import negotiation_id

MAX_BYTES = 10 * 1024 * 1024
MIN_HTML_TEXT = 80  # characters: less than a sentence or two is navigation, not an article


class SourceError(TrackerError):
    """An article could not be read: empty, binary, too large, undecodable, no article text."""


def load_article(spec: str, published: date | None = None) -> Article:
    """An Article from a file path or an http(s) URL. `published` overrides the source's."""
    if re.match(r"^https?://", spec, re.I):
        article = article_from_url(spec)
    else:
        article = article_from_file(Path(spec))
    if published is not None:
        article = article.model_copy(
            update={"published": published, "published_approximate": False}
        )
    return article


def article_from_url(url: str) -> Article:
    from tracker.http import fetch

    fetched = fetch(url, max_bytes=MAX_BYTES)
    if fetched.status >= 400:
        raise SourceError(f"{url}: HTTP {fetched.status}")
    kind = fetched.content_type
    if "json" in kind:
        return article_from_json(_decode(fetched.content, url), url, fallback_url=fetched.url)
    if "html" in kind or fetched.content.lstrip()[:1] == b"<":
        return article_from_html(fetched.content, fetched.url)
    text = _decode(fetched.content, url)
    return article_from_text(text, url, url=fetched.url)


def article_from_file(path: Path) -> Article:
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if not path.is_file():
        raise SourceError(f"{path}: not a file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SourceError(f"{path}: {size:,} bytes is larger than the {MAX_BYTES:,}-byte limit")
    raw = path.read_bytes()
    name = str(path)
    suffix = path.suffix.lower()
    meta = _sidecar(path)
    if suffix in (".html", ".htm", ".xhtml") or (
        suffix != ".json" and raw.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))
    ):
        article = article_from_html(raw, meta.get("url"), article_id=meta.get("id") or path.stem)
        return _with_meta(article, meta)
    text = _decode(raw, name)
    if suffix == ".json":
        return article_from_json(text, name, fallback_id=path.stem)
    return _with_meta(article_from_text(text, name, article_id=path.stem), meta)


def article_from_json(
    text: str, name: str, fallback_id: str | None = None, fallback_url: str | None = None
) -> Article:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{name}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise SourceError(f"{name}: JSON nested too deeply to read") from None
    if not isinstance(data, dict):
        raise SourceError(f'{name}: article JSON must be an object with a "text" field')
    body = data.get("text")
    if not isinstance(body, str) or not body.strip():
        raise SourceError(f'{name}: article has no text (field "text")')
    for key in ("id", "url", "title", "source", "negotiation", "published"):
        if data.get(key) is not None and not isinstance(data[key], str):
            kind = type(data[key]).__name__
            raise SourceError(f'{name}: field "{key}" must be a string, not {kind}')
    approximate = data.get("published_approximate", False)
    if not isinstance(approximate, bool):
        raise SourceError(f'{name}: field "published_approximate" must be true or false')
    return _make(
        Article,
        name,
        id=data.get("id") or fallback_id or _digest(body),
        url=data.get("url") or fallback_url,
        title=data.get("title") or "",
        published=data.get("published") or None,
        published_approximate=approximate,
        source=data.get("source"),
        text=body,
        negotiation=data.get("negotiation"),
    )


def article_from_text(
    text: str, name: str, article_id: str | None = None, url: str | None = None
) -> Article:
    """Plain text: the title is the first non-empty line; the text is kept whole, as given,
    so evidence offsets point into the file."""
    if not text.strip():
        raise SourceError(f"{name}: empty text")
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return _make(
        Article, name, id=article_id or _digest(text), url=url, title=title[:300], text=text
    )


def article_from_html(
    html: bytes | str,
    url: str | None,
    *,
    article_id: str | None = None,
    title: str | None = None,
    published: date | None = None,
    source: str | None = None,
) -> Article:
    """The main text of an HTML page (trafilatura), with its title and date when the page
    gives them. A page with no article text is an error, not an empty article."""
    import trafilatura

    name = url or "HTML"
    if isinstance(html, bytes):
        if b"\x00" in html[:4096]:
            raise SourceError(f"{name}: binary data, not HTML")
        html = html.decode("utf-8", errors="replace")
    if not html.strip():
        raise SourceError(f"{name}: empty page")
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=True,
        )  # fmt: skip
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise SourceError(f"{name}: could not parse HTML ({type(exc).__name__})") from None
    found: dict[str, Any] = {}
    if isinstance(doc, dict):
        found = doc
    elif doc is not None and hasattr(doc, "as_dict"):
        found = doc.as_dict()
    text = (found.get("text") or "").strip()
    if len(text) < MIN_HTML_TEXT:
        raise SourceError(f"{name}: no article text found in the page")
    page_date = found.get("date")
    return _make(
        Article,
        name,
        id=article_id or _digest(url or text),
        url=url,
        title=title or (found.get("title") or "").strip(),
        published=published or (page_date if isinstance(page_date, str) and page_date else None),
        source=source or found.get("sitename") or found.get("hostname"),
        text=text,
    )


def _decode(raw: bytes, name: str) -> str:
    if not raw.strip():
        raise SourceError(f"{name}: empty file")
    sample = raw[:8192]
    if b"\x00" in sample or sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) // 20:
        raise SourceError(f"{name}: binary data, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{name}: not valid UTF-8 (byte {exc.start})") from None


def _sidecar(path: Path) -> dict[str, Any]:
    """`<stem>.meta.json` or `<file>.meta.json` beside a text or HTML file."""
    for candidate in (path.with_suffix(".meta.json"), path.with_name(path.name + ".meta.json")):
        if candidate.is_file():
            try:
                data = json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise SourceError(f"{candidate}: unreadable metadata ({exc})") from None
            return data if isinstance(data, dict) else {}
    return {}


def _with_meta(article: Article, meta: dict[str, Any]) -> Article:
    if not meta:
        return article
    keys = ("id", "title", "url", "source", "published", "negotiation")
    update = {k: meta[k] for k in keys if meta.get(k)}
    if "negotiation" in update:
        try:
            negotiation_id(update["negotiation"], "negotiation")
        except TrackerError as exc:
            raise SourceError(f"metadata: {exc}") from None
    if "published_approximate" in meta:
        if not isinstance(meta["published_approximate"], bool):
            raise SourceError('metadata: field "published_approximate" must be true or false')
        update["published_approximate"] = meta["published_approximate"]
    return _make(type(article), "metadata", **{**article.model_dump(), **update})


def _make(cls: type[Article], name: str, **fields: Any) -> Article:
    try:
        return cls.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "article"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SourceError(f'{name}: field "{where}": {message}') from None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

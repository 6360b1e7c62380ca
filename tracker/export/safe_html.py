"""A tiny HTML builder that escapes by default: article text can only reach the page as text.

Every string passed to `tag` as content or attribute value is escaped unless it is already
`Html` (markup this module built). There is no way to splice raw text in by accident; the one
door for literal markup, `Html(...)`, is used only for constant strings written in this package.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import urlsplit


class Html(str):
    """Markup that is safe to emit as is."""

    __slots__ = ()


_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def escape(value: object) -> Html:
    if isinstance(value, Html):
        return value
    return Html(html.escape("" if value is None else str(value), quote=True))


def join(parts: Iterable[object], sep: str = "") -> Html:
    return Html(escape(sep).join(escape(part) for part in parts))


def tag(name: str, /, *content: object, **attrs: object) -> Html:
    """<name attrs>content</name>. Attribute names come from code (`class_` -> `class`,
    `data_x` -> `data-x`); None or False drops an attribute, True writes it bare."""
    if not _NAME.match(name):
        raise ValueError(f"bad tag name {name!r}")
    rendered = []
    for key, value in attrs.items():
        attr = key.rstrip("_").replace("_", "-")
        if not _NAME.match(attr):
            raise ValueError(f"bad attribute name {attr!r}")
        if value is None or value is False:
            continue
        rendered.append(f" {attr}" if value is True else f' {attr}="{escape(value)}"')
    body = join(_flatten(content))
    return Html(f"<{name}{''.join(rendered)}>{body}</{name}>")


def void(name: str, /, **attrs: object) -> Html:
    """A void element (meta, br): attributes only."""
    return Html(tag(name, **attrs).removesuffix(f"</{name}>"))


def safe_url(url: str | None) -> str | None:
    """Only http(s) links become hrefs: a `javascript:` or `data:` URL stays plain text."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def _flatten(content: Iterable[object]) -> Iterable[object]:
    for item in content:
        if isinstance(item, str) or item is None or not isinstance(item, Iterable):
            yield item
        else:
            yield from _flatten(item)

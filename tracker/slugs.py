"""Negotiation ids are slugs: lower-case letters and digits in words joined by single hyphens,
at most 64 characters. They become file names (`export --out-dir`), so they are checked
wherever they enter: article JSON, feeds, `tracker add`, the negotiations command."""

from __future__ import annotations

import re

from tracker.errors import UsageError

MAX_SLUG = 64
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class SlugError(UsageError):
    """A negotiation id that is not a slug."""


def is_slug(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_SLUG and _SLUG.fullmatch(value) is not None


def negotiation_id(value: object, field: str = "negotiation") -> str:
    """`value` when it is a slug; else a one-line error naming `field`."""
    if is_slug(value):
        assert isinstance(value, str)
        return value
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
    hint = suggest(value) if isinstance(value, str) else ""
    raise SlugError(
        f"{field} must be a slug of lower-case letters, digits and single hyphens, at most "
        f"{MAX_SLUG} characters, got {shown}" + (f" (try {hint})" if hint else "")
    )


def suggest(value: str) -> str:
    """The nearest slug to free text: 'Israel/Hamas ceasefire' -> 'israel-hamas-ceasefire'."""
    words = re.findall(r"[a-z0-9]+", value.lower())
    return "-".join(words)[:MAX_SLUG].strip("-")

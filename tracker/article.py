"""An article as the tracker reads it: normalised metadata and the text as given, cut at a
paragraph boundary when it is longer than MAX_ARTICLE_CHARS (the cut is recorded)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator

from tracker.slugs import SlugError, negotiation_id

# Several times the longest wire story or feature (~15,000 words). Longer texts are cut here
# before extraction sees them, so its time and memory stay bounded.
MAX_ARTICLE_CHARS = 100_000


class Article(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    url: str | None = None
    title: str = ""
    published: date | None = None
    published_approximate: StrictBool = False
    source: str | None = None
    negotiation: str | None = None  # the negotiation it is known to be about (a feed's, a JSON's)
    text: str
    cut_from: int | None = None  # the text's length before it was cut to MAX_ARTICLE_CHARS

    @model_validator(mode="before")
    @classmethod
    def _cut(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("text"), str):
            text = data["text"]
            if len(text) > MAX_ARTICLE_CHARS:
                data = {**data, "text": cut_text(text), "cut_from": len(text)}
        return data

    @field_validator("id", "url", "title", "source", "text")
    @classmethod
    def _unicode(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ValueError(f"holds a lone surrogate at character {exc.start}") from None
            # NUL means nothing in text and PostgreSQL cannot store it: dropped on every
            # backend, so the same article is the same record wherever it is kept.
            value = value.replace("\x00", "")
        return value

    @field_validator("negotiation")
    @classmethod
    def _slug(cls, value: str | None) -> str | None:
        try:
            return None if value is None else negotiation_id(value, "the negotiation id")
        except SlugError as exc:
            raise ValueError(str(exc)) from None

    @property
    def content_sha256(self) -> str:
        """Hash of the text with white space folded, so the same article reached by two
        routes (a file, a feed entry) is recognised as one."""
        folded = " ".join(self.text.split())
        return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def cut_text(text: str, limit: int = MAX_ARTICLE_CHARS) -> str:
    """The text's head up to `limit` characters, ending at a paragraph boundary (a blank line,
    else a line break), else a sentence end, else a space. A prefix, so evidence offsets into
    it are offsets into the original."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    for mark in ("\n\n", "\n", ". ", " "):
        at = head.rfind(mark)
        if at >= limit // 2:
            return head[: at + (1 if mark == ". " else 0)].rstrip()
    return head

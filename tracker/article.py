"""An article as the tracker reads it: normalised metadata and the text as given."""

from __future__ import annotations

import hashlib
from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class Article(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    url: str | None = None
    title: str = ""
    published: date | None = None
    published_approximate: bool = False
    source: str | None = None
    negotiation: str | None = None  # the negotiation it is known to be about (a feed's, a JSON's)
    text: str

    @property
    def content_sha256(self) -> str:
        """Hash of the text with white space folded, so the same article reached by two
        routes (a file, a feed entry) is recognised as one."""
        folded = " ".join(self.text.split())
        return hashlib.sha256(folded.encode("utf-8")).hexdigest()

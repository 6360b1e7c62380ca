"""Which extractor produced an event. Every extracted event records EXTRACTOR_VERSION;
`tracker reextract` compares what the current version finds with what earlier ones did.
Bump it whenever tracker/extract/ or the seeds change what is extracted."""

from __future__ import annotations

import hashlib

from tracker.events import NegotiationEvent

EXTRACTOR_VERSION = "rules-1"


def stamped(event: NegotiationEvent) -> NegotiationEvent:
    """The event as this extractor version found it."""
    return event.model_copy(update={"extractor": EXTRACTOR_VERSION})


def text_digest(text: str) -> str:
    """The key an article's text is kept under: the sha256 of its exact UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

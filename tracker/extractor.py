"""What an extraction records beside its events: the version of the extractor that found each
(tracker.extract's `Extractor.version`, bumped with its rules and data), and the key its
article's text is kept under. `tracker reextract` compares what the current version finds
with what earlier ones did."""

from __future__ import annotations

import hashlib

from tracker.events import NegotiationEvent


def stamped(event: NegotiationEvent, version: str) -> NegotiationEvent:
    """The event as extractor `version` found it."""
    return event.model_copy(update={"extractor": version})


def text_digest(text: str) -> str:
    """The key an article's text is kept under: the sha256 of its exact UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

"""The tamper-evident hash chain: each event's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib

GENESIS = "0" * 64


def link_hash(prev_hash: str, content: tuple[object, ...]) -> str:
    """sha256 over the previous hash and the row's content columns, in COLUMNS order
    (position, event_id, stream, version, type, schema_version, payload, recorded_at)."""
    text = "\x1f".join((prev_hash, *map(str, content)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

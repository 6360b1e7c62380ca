"""The tamper-evident hash chain: each event's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib

GENESIS = "0" * 64


def link_hash(
    prev_hash: str,
    position: int,
    event_id: str,
    stream: str,
    version: int,
    type_: str,
    schema_version: int,
    payload_json: str,
    recorded_at: str,
) -> str:
    text = "\x1f".join(
        (
            prev_hash,
            str(position),
            event_id,
            stream,
            str(version),
            type_,
            str(schema_version),
            payload_json,
            recorded_at,
        )
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

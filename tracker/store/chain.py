"""The tamper-evident hash chain: each event's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tracker.store.base import canonical_json

if TYPE_CHECKING:
    from tracker.store.base import NewEvent

GENESIS = "0" * 64


def link_hash(prev_hash: str, content: tuple[object, ...]) -> str:
    """sha256 over the previous hash and the row's content columns, in COLUMNS order
    (position, event_id, stream, version, type, schema_version, payload, recorded_at)."""
    text = "\x1f".join((prev_hash, *map(str, content)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chained_rows(
    head: tuple[int, str], stream: str, current: int, events: Sequence[NewEvent]
) -> list[tuple[Any, ...]]:
    """The rows to append after the log's head (position, hash), in COLUMNS order plus
    prev_hash and hash: positions and stream versions continue, each hash links the last.
    One recorder of each kind calls it under its own write lock."""
    position, prev_hash = head
    recorded_at = datetime.now(UTC).isoformat(timespec="microseconds")
    sha256 = hashlib.sha256
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    # Each row built once, in one tuple: this loop runs for every event appended.
    for version, event in enumerate(events, start=current + 1):
        position += 1
        event_id, type_, schema_version = event.event_id, event.type, event.schema_version
        payload = canonical_json(event.payload)
        # link_hash(prev_hash, row[:8]), spelled out
        text = (
            f"{prev_hash}\x1f{position!s}\x1f{event_id!s}\x1f{stream!s}\x1f{version!s}"
            f"\x1f{type_!s}\x1f{schema_version!s}\x1f{payload}\x1f{recorded_at}"
        )
        digest = sha256(text.encode("utf-8")).hexdigest()
        append(
            (
                position,
                event_id,
                stream,
                version,
                type_,
                schema_version,
                payload,
                recorded_at,
                prev_hash,
                digest,
            )
        )
        prev_hash = digest
    return rows

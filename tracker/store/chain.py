"""The tamper-evident hash chain: each event's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

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
    rows = []
    for offset, event in enumerate(events, start=1):
        row = (
            position + offset,
            event.event_id,
            stream,
            current + offset,
            event.type,
            event.schema_version,
            event.payload_json(),
            recorded_at,
        )
        # link_hash(prev_hash, row), spelled out: this loop runs for every event appended
        text = (
            f"{prev_hash}\x1f{row[0]!s}\x1f{row[1]!s}\x1f{stream!s}\x1f{row[3]!s}\x1f{row[4]!s}"
            f"\x1f{row[5]!s}\x1f{row[6]}\x1f{recorded_at}"
        )
        digest = sha256(text.encode("utf-8")).hexdigest()
        rows.append((*row, prev_hash, digest))
        prev_hash = digest
    return rows

"""The recorder interface. The domain and the CLI talk to this; SQLite, PostgreSQL and an
in-memory recorder sit behind it and pass the same tests (tests/test_store.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

import orjson

ANY_VERSION = None  # expected_version that skips the optimistic-concurrency check
NEW_STREAM = 0  # expected_version of a stream that must not exist yet


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event ready to append: a deterministic id (for idempotency), its type and payload."""

    event_id: str
    type: str
    schema_version: int
    payload: dict[str, Any]

    def payload_json(self) -> str:
        return canonical_json(self.payload)


class StoredEvent(NamedTuple):
    """An event as recorded: global position, stream and version, record time and hashes.
    A NamedTuple because reading the log back builds millions of these."""

    position: int
    event_id: str
    stream: str
    version: int
    type: str
    schema_version: int
    payload: dict[str, Any]
    recorded_at: str
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class AppendResult:
    """What an append did. `replayed` is true when every event was already stored."""

    stream: str
    positions: tuple[int, ...] = ()
    version: int = 0
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """The result of walking the hash chain. `first_broken` is None when the log is intact."""

    checked: int
    first_broken: int | None = None
    problem: str = ""
    head_hash: str = field(default="")

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def canonical_json(value: Any) -> str:
    """One spelling per value, so hashes and ids are reproducible: json.dumps with sorted keys,
    no spaces and no ASCII escaping, as every release has written it. orjson writes the same
    text ten times faster except for floats of magnitude below 1e-4 (0.00001 for 1e-05,
    1e-7 for 1e-07), integers past 64 bits and keys that are not strings; those (and anything
    else orjson refuses) take json.dumps, so the spelling never changes."""
    try:
        text = orjson.dumps(value, option=_SORTED).decode()
    except TypeError:
        return _python_json(value)
    # Searched in the str, not the bytes: CPython finds these in a str in half the time, and
    # they cost as much as the encoding itself (every event appended takes this path).
    if ("e-" in text and _SHORT_EXPONENT.search(text)) or "0.0000" in text:
        return _python_json(value)  # a small float, or a string that looks like one
    return text


_SORTED = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_SHORT_EXPONENT = re.compile(r"[0-9]e-[0-9](?![0-9])")


def _python_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class EventStore(Protocol):
    @property
    def path(self) -> object:
        """Where the store is, as shown to people: a file, or a URL without its password."""
        ...

    @property
    def read_only(self) -> bool:
        """A store read as a copy (a read-only SQLite file): nothing written reaches it."""
        ...

    def append(
        self, stream: str, events: Sequence[NewEvent], expected_version: int | None
    ) -> AppendResult:
        """Append one batch atomically. Raises ConflictError when `expected_version` is not the
        stream's version; returns `replayed=True` and stores nothing when all ids exist."""
        ...

    def read_all(
        self, after: int = 0, types: Collection[str] | None = None
    ) -> Iterator[StoredEvent]:
        """Every event with position > `after` (of the given types), in order, streamed."""
        ...

    def read_stream(self, stream: str) -> Iterator[StoredEvent]: ...

    def stream_version(self, stream: str) -> int: ...

    def get(self, event_id: str) -> StoredEvent | None: ...

    def find_article(self, content_sha256: str) -> str | None:
        """The id of an ingested article with this text hash, if any."""
        ...

    def put_text(self, sha256: str, text: str) -> None:
        """Keep an article's text under the sha256 of its UTF-8 bytes; a text already kept is
        left as it is. Called before the append that names it, so no event refers to a text
        the store lacks (a text no event names, after a failed append, is harmless)."""
        ...

    def get_text(self, sha256: str) -> str | None: ...

    def match_ids(self, prefix: str, limit: int = 2) -> list[str]:
        """Up to `limit` event ids starting with `prefix` (for short ids typed by people)."""
        ...

    def head(self) -> int:
        """The last global position, 0 for an empty store."""
        ...

    def hash_at(self, position: int) -> str | None:
        """The chain hash of the event at `position` (an anchor for `verify --expect`)."""
        ...

    def integrity(self) -> list[str]:
        """What is wrong with the database itself, beyond the chain (its own checks, the
        append-only guards); empty when nothing is."""
        ...

    def verify(self) -> VerifyReport: ...

    def close(self) -> None: ...

    def __enter__(self) -> EventStore: ...

    def __exit__(self, *exc: object) -> None: ...

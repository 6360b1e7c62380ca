"""An in-memory recorder: the interface's reference behaviour, for domain and service tests
that need no database. It keeps the same invariants in Python (ids and stream versions unique,
whole batches, the hash chain); nothing is refused by a database because there is none."""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator, Sequence

import orjson

from tracker.errors import ConflictError, DuplicateEventError
from tracker.store.base import AppendResult, NewEvent, StoredEvent, VerifyReport, canonical_json
from tracker.store.chain import GENESIS, chained_rows, link_hash


class MemoryEventStore:
    def __init__(self) -> None:
        self.path = ":memory:"
        self.events: list[StoredEvent] = []
        self.by_id: dict[str, StoredEvent] = {}
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.read_only = False
        self.lock = threading.Lock()

    def append(
        self, stream: str, events: Sequence[NewEvent], expected_version: int | None
    ) -> AppendResult:
        ids = [event.event_id for event in events]
        if len(set(ids)) != len(ids):
            raise DuplicateEventError(f"batch for stream {stream!r} holds the same id twice")
        with self.lock:
            current = self.versions.get(stream, 0)
            if not events:
                return AppendResult(stream, version=current)
            existing = [self.by_id[i] for i in ids if i in self.by_id]
            if len(existing) == len(ids):
                positions = tuple(e.position for e in existing)
                return AppendResult(stream, positions, current, replayed=True)
            if existing:
                raise DuplicateEventError(
                    f"{len(existing)} of {len(ids)} events in the batch for stream {stream!r} "
                    "are already stored"
                )
            if expected_version is not None and current != expected_version:
                raise ConflictError(
                    f"stream {stream!r} is at version {current}, expected {expected_version}"
                )
            head = (len(self.events), self.events[-1].hash) if self.events else (0, GENESIS)
            new = [
                # the payload a copy, as a database read gives
                StoredEvent(pos, eid, stream, ver, kind, schema, orjson.loads(body), at, prev, sha)
                for pos, eid, _, ver, kind, schema, body, at, prev, sha in chained_rows(
                    head, stream, current, events
                )
            ]
            self.events.extend(new)
            self.by_id.update((e.event_id, e) for e in new)
            self.versions[stream] = current + len(new)
        return AppendResult(stream, tuple(e.position for e in new), current + len(new))

    def read_all(
        self, after: int = 0, types: Collection[str] | None = None
    ) -> Iterator[StoredEvent]:
        for event in self.events[after:]:
            if types is None or event.type in types:
                yield event

    def read_stream(self, stream: str) -> Iterator[StoredEvent]:
        yield from (e for e in self.events if e.stream == stream)

    def stream_version(self, stream: str) -> int:
        return self.versions.get(stream, 0)

    def get(self, event_id: str) -> StoredEvent | None:
        return self.by_id.get(event_id)

    def find_article(self, content_sha256: str) -> str | None:
        for event in self.events:
            if event.type == "article.ingested" and (
                event.payload.get("content_sha256") == content_sha256
            ):
                return str(event.payload["article_id"])
        return None

    def put_text(self, sha256: str, text: str) -> None:
        with self.lock:
            self.texts.setdefault(sha256, text)  # a text already kept is left as it is

    def get_text(self, sha256: str) -> str | None:
        return self.texts.get(sha256)

    def match_ids(self, prefix: str, limit: int = 2) -> list[str]:
        return sorted(i for i in self.by_id if i.startswith(prefix))[:limit]

    def head(self) -> int:
        return len(self.events)

    def hash_at(self, position: int) -> str | None:
        return self.events[position - 1].hash if 1 <= position <= len(self.events) else None

    def integrity(self) -> list[str]:
        return []  # no database to lose its guards

    def verify(self) -> VerifyReport:
        prev_hash = GENESIS
        for checked, e in enumerate(self.events):
            content = (*e[:6], canonical_json(e.payload), e.recorded_at)
            if e.prev_hash != prev_hash:
                return VerifyReport(checked, e.position, "previous-hash link does not match")
            if link_hash(prev_hash, content) != e.hash:
                return VerifyReport(checked, e.position, "content does not match its hash")
            prev_hash = e.hash
        return VerifyReport(len(self.events), head_hash=prev_hash)

    def close(self) -> None:
        pass

    def __enter__(self) -> MemoryEventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

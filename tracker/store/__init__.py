"""The append-only event store: an interface and its SQLite implementation."""

from tracker.store.base import AppendResult, EventStore, NewEvent, StoredEvent, VerifyReport
from tracker.store.sqlite import SQLiteEventStore, open_store

__all__ = [
    "AppendResult",
    "EventStore",
    "NewEvent",
    "SQLiteEventStore",
    "StoredEvent",
    "VerifyReport",
    "open_store",
]

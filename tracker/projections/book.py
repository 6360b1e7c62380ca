"""The status being folded, with its lists indexed by who and what, so that a rule finds the
demand, position, threat, next step or expectation an event retells without scanning the
list (a rebuild folds a million events into lists of up to KEEP_ITEMS items each).

Every change to an indexed list goes through `Indexed`, which keeps the buckets in list
order: the first match in a bucket is the first match a scan of the list would find.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

from tracker.projections.draft import (
    Demand,
    Draft,
    Expectation,
    NextStep,
    Position,
    Threat,
)
from tracker.projections.facts import fold_case

KEEP_ITEMS = 30  # bound on demands / positions / threats / next steps / expectations

T = TypeVar("T", Demand, Position, Threat, NextStep, Expectation)


class Indexed(Generic[T]):
    """One list of the status (by attribute name), bucketed by a key of its items."""

    __slots__ = ("buckets", "key", "name", "status")

    def __init__(self, status: Draft, name: str, key: Callable[[T], Hashable]) -> None:
        self.status = status
        self.name = name
        self.key: Callable[[T], Hashable] = key
        self.buckets: dict[Hashable, list[T]] = {}
        self._reindex()

    @property
    def items(self) -> list[T]:
        items: list[T] = getattr(self.status, self.name)
        return items

    def _reindex(self) -> None:
        self.buckets.clear()
        key = self.key
        for item in self.items:
            self.buckets.setdefault(key(item), []).append(item)

    def bucket(self, key: Hashable) -> list[T]:
        return self.buckets.get(key) or []

    def append(self, item: T) -> T:
        """Add an item at the end; the oldest go once there are more than KEEP_ITEMS."""
        items: list[T] = getattr(self.status, self.name)
        items.append(item)
        self.buckets.setdefault(self.key(item), []).append(item)
        while len(items) > KEEP_ITEMS:
            dropped = items.pop(0)
            key = self.key(dropped)
            bucket = self.buckets[key]
            del bucket[0]  # buckets are in list order: the oldest item leads its bucket
            if not bucket:
                del self.buckets[key]
        return item

    def keep(self, wanted: Callable[[T], bool]) -> None:
        """Keep only the wanted items (in a new list, as the status had before)."""
        kept: list[T] = []
        gone: list[T] = []
        for item in getattr(self.status, self.name):
            (kept if wanted(item) else gone).append(item)
        if gone:
            self._drop(kept, gone)

    def remove(self, gone: list[T]) -> None:
        """Remove these items (found in the buckets)."""
        if gone:
            doomed = {id(item) for item in gone}
            self._drop([item for item in self.items if id(item) not in doomed], gone)

    def _drop(self, kept: list[T], gone: list[T]) -> None:
        setattr(self.status, self.name, kept)
        for item in gone:
            key = self.key(item)
            bucket = self.buckets[key]
            del bucket[next(i for i, x in enumerate(bucket) if x is item)]
            if not bucket:
                del self.buckets[key]

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)


def _demand_key(d: Demand) -> Hashable:
    return (fold_case(d.actor), fold_case(d.demand))


def _position_key(p: Position) -> Hashable:
    return (fold_case(p.actor), p.polarity, fold_case(p.object))


def _threat_key(t: Threat) -> Hashable:
    return (fold_case(t.actor), fold_case(t.action))


def _step_key(s: NextStep) -> Hashable:
    return (s.type, fold_case(s.actor))


def _expectation_key(e: Expectation) -> Hashable:
    return (e.type, fold_case(e.actor))


class Book:
    """A Draft (the status being folded) and the indexes its rules look things up in."""

    __slots__ = ("demands", "expectations", "next_steps", "positions", "status", "threats")

    def __init__(self, status: Draft) -> None:
        self.status = status
        self.demands = Indexed[Demand](status, "demands", _demand_key)
        self.positions = Indexed[Position](status, "positions", _position_key)
        self.threats = Indexed[Threat](status, "threats", _threat_key)
        self.next_steps = Indexed[NextStep](status, "next_steps", _step_key)
        self.expectations = Indexed[Expectation](status, "expectations", _expectation_key)

"""The fold: events, in valid-time order (facts.fold_key), into one status. Pure: no SQLite,
no clock. The order is that of the facts, not of the log: a report that arrives late is
folded where its date puts it, so it fills in history and never overrides a newer state.

`Folder.fold` moves the clock (dropping passed next steps), lets an asserted event settle the
next steps and expectations it fulfils, applies the first matching row of RULES, then does the
bookkeeping every event gets (counts, sources, the last change).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from tracker.projections.book import Book
from tracker.projections.draft import Draft, NextStep, from_status, to_status
from tracker.projections.effects import nothing, same
from tracker.projections.facts import Fact, by_valid_time, fold_case, fold_key
from tracker.projections.rules import rule_for
from tracker.projections.status import Change, Status
from tracker.projections.words import describe

RESOLVES = {  # an asserted event of the key type settles pending items of these types
    "talks.held": ("talks.scheduled", "talks.held"),
    "proposal.accepted": ("proposal.accepted", "proposal.rejected", "proposal.countered"),
    "proposal.rejected": ("proposal.accepted", "proposal.rejected", "proposal.countered"),
    "proposal.countered": ("proposal.accepted", "proposal.rejected", "proposal.countered"),
}


class Folder:
    """Folds events into one status, kept as a Draft (plain objects) while folding. The
    per-event bookkeeping (counts, the last change) is kept here and written into the draft
    by `result()`, which validates the Status once: a rebuild folds a million events and
    needs the status itself only when it stores it."""

    __slots__ = (
        "book",
        "events",
        "folded_to",
        "last",
        "latest",
        "position",
        "reports",
        "seen",
        "seen_new",
        "seen_sorted",
    )

    def __init__(self, status: Status | Draft, folded_to: str = "") -> None:
        if isinstance(status, Status):
            status = from_status(status)
        self.book = Book(status)
        self.events = status.events
        self.position = status.position
        self.reports = status.sources.articles
        self.latest = status.sources.latest
        self.seen = set(status.articles_seen)
        # the articles seen, sorted, as of the last result(), and those seen since: a
        # rebuild stores a snapshot every SNAPSHOT_EVERY facts, and sorting every article
        # seen afresh each time grew with the square of the history
        self.seen_sorted = sorted(self.seen)
        self.seen_new: list[str] = []
        self.last: Fact | None = None
        # the fold_key of the last fact folded: a fact before it cannot be folded on top
        self.folded_to = folded_to

    @property
    def status(self) -> Draft:
        return self.book.status

    def fold(self, fact: Fact, key: str | None = None) -> Folder:
        """Fold one more fact; it must come after every fact folded so far (in fold_key order:
        `late` says when it would not, and the caller folds again from the start)."""
        self.folded_to = fold_key(fact) if key is None else key
        book = self.book
        status = book.status
        today = fact.known_date
        if today is not None and (status.clock is None or today > status.clock):
            _advance_clock(book, today)  # tested here: the clock moves for few events
        if fact.modality == "asserted" and (book.next_steps.buckets or book.expectations.buckets):
            _resolve(book, fact)  # tested here: most events find nothing pending
        rule = rule_for(fact)
        if rule is not None:
            rule.effect(book, fact)
            phase = rule.phase(status, fact)
            if phase is not None and phase is not status.phase:
                status.phase = phase
            if rule.effect is not nothing:
                self.last = fact
        self.events += 1
        if fact.position > self.position:
            self.position = fact.position
        if fact.article_id is None:
            self.reports += 1  # an analyst's event is a report of its own
        elif fact.article_id not in self.seen:
            self.seen.add(fact.article_id)
            self.seen_new.append(fact.article_id)
            self.reports += 1
        if fact.published and (self.latest is None or fact.published > self.latest):
            self.latest = fact.published
        return self

    def result(self) -> Status:
        """The Status folded so far (a validated copy: the fold can go on)."""
        status = self.book.status
        if self.last is not None:
            status.last_change = change(self.last)
            self.last = None
        status.events, status.position = self.events, self.position
        status.sources.articles, status.sources.latest = self.reports, self.latest
        status.articles_seen = self._seen()
        return to_status(status)

    def _seen(self) -> list[str]:
        """sorted(self.seen), by merging the new articles into the list sorted last time
        (two sorted runs: the sort merges them in one linear pass)."""
        if self.seen_new:
            self.seen_new.sort()
            merged = self.seen_sorted + self.seen_new
            merged.sort()
            self.seen_sorted = merged
            self.seen_new = []
        return self.seen_sorted

    def late(self, key: str) -> bool:
        return key < self.folded_to


def fold(status: Status, fact: Fact) -> Status:
    """The status after one more event (a new Status)."""
    return Folder(status).fold(fact).result()


def project(negotiation: str, facts: Iterable[Fact]) -> Status:
    """The status of these facts, in whatever order they are given."""
    folder = Folder(Draft(negotiation=negotiation))
    for fact in by_valid_time(facts):
        folder.fold(fact)
    return folder.result()


def _advance_clock(book: Book, today: date) -> None:
    """Event time moves forward with what is reported (`today`, a fact's known_date, after
    the clock); scheduled steps before it have passed."""
    book.status.clock = today
    cutoff = today - timedelta(days=1)  # status.passed(), computed once, not per step
    book.next_steps.keep(lambda s: s.when is None or s.when >= cutoff)


def _resolve(book: Book, fact: Fact) -> None:
    """An asserted event settles the next steps and expectations it fulfils: those of the
    same actor and of the types in RESOLVES (else its own type)."""
    steps, expected = book.next_steps, book.expectations
    pending, awaited = steps.buckets, expected.buckets
    actor = fold_case(fact.actor)
    types = RESOLVES.get(fact.type)
    if types is None:  # its own type only: the usual case, one key to look up
        key = (fact.type, actor)
        found = pending.get(key)
        if found:
            done = [s for s in found if _step_done(s, fact)]
            if done:
                steps.remove(done)
        met = awaited.get(key)
        if met:
            expected.remove(list(met))
        return
    # the buckets read directly and only the keys present: most events settle nothing
    keys = [(t, actor) for t in types]
    done = [s for k in keys if k in pending for s in pending[k] if _step_done(s, fact)]
    if done:
        steps.remove(done)
    met = [e for k in keys if k in awaited for e in awaited[k]]
    if met:
        expected.remove(met)


def _step_done(step: NextStep, fact: Fact) -> bool:
    return not (step.location and fact.location) or same(step.location, fact.location)


def change(fact: Fact) -> Change:
    return Change(
        type=fact.type,
        summary=describe(fact),
        modality=fact.modality,
        date=fact.valid_date,
        source=fact.source,
        source_url=fact.source_url,
        evidence=fact.evidence[0] if fact.evidence else None,
        event_id=fact.event_id,
        position=fact.position,
    )

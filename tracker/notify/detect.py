"""Which negotiations a batch of appends changed, read from the store: the status lines of
every negotiation before (`look`), and after, the changes with the events appended in between
(`changes`). The scheduler looks before a poll writes and asks for the changes after it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tracker.export.build import sources
from tracker.notify.change import change_document, changed_lines
from tracker.projections import readmodel
from tracker.projections.facts import Fact
from tracker.projections.history import facts_at
from tracker.projections.log import (
    NEGOTIATION,
    Amendments,
    ArticleNegotiations,
    fact_of,
    rows,
)
from tracker.projections.status import Status
from tracker.store.base import EventStore
from tracker.store.readmodels import read_models


@dataclass(frozen=True)
class Look:
    """The store as it was: its head, every negotiation's status, and when the head was
    recorded (what the alert's `since` names: the change is against the status known then)."""

    head: int
    statuses: dict[str, Status]
    at: str | None


def look(store: EventStore) -> Look:
    readmodel.catch_up(store)
    statuses = {}
    for name in readmodel.negotiations(store):
        status = readmodel.load_status(store, name)
        if status is not None:
            statuses[name] = status
    head = store.head()
    return Look(head, statuses, read_models(store).recorded_at(head))


def changes(store: EventStore, before: Look, today: date | None = None) -> list[dict[str, Any]]:
    """One change document per negotiation whose status reads differently now; [] when the
    log has not grown."""
    readmodel.catch_up(store)
    head = store.head()
    if head <= before.head:
        return []
    today = today or datetime.now(UTC).date()
    facts = _new_facts(store, before.head, head)
    found = []
    for name in readmodel.negotiations(store):
        now = readmodel.load_status(store, name)
        if now is None:
            continue
        removed, added = changed_lines(before.statuses.get(name), now, today)
        if not removed and not added:
            continue
        told = [fact for fact, names in facts if name in names]
        cited = {f.article_id for f in told if f.article_id}
        found.append(
            change_document(
                name,
                before.at,
                removed,
                added,
                told,
                [s.model_dump(mode="json") for s in sources(store, cited)],
                phase=str(now.phase),
            )
            | {"after_position": before.head, "upto_position": head}
        )
    return found


def _new_facts(store: EventStore, after: int, upto: int) -> list[tuple[Fact, tuple[str, ...]]]:
    """The events appended in (after, upto], as amended up to `upto`: one retracted in the
    same batch (or before it arrived) was never a change to announce."""
    articles = ArticleNegotiations(store)
    amendments = Amendments.load(store, upto)
    found = []
    for row in rows(store, after, upto):
        if row[2] == "article.ingested":
            articles.remember_row(row)
        elif row[2] in NEGOTIATION and (fact := amendments.apply(fact_of(row))) is not None:
            found.append((fact, articles.of(fact)))
    return found


def diff_document(
    store: EventStore, name: str, since: date, changed: list[str], phase: str
) -> dict[str, Any]:
    """`tracker diff --format json`: the same document as an alert, for the events known
    after `since` (valid time)."""
    told = [f for f in facts_at(store, name, None, None) if (f.known_date or since) > since]
    cited = {f.article_id for f in told if f.article_id}
    return change_document(
        name,
        since.isoformat(),
        [c[2:] for c in changed if c.startswith("- ")],
        [c[2:] for c in changed if c.startswith("+ ")],
        told,
        [s.model_dump(mode="json") for s in sources(store, cited)],
        phase=phase,
    )

"""The status is a function of the facts, not of the order they arrive in: the same articles
and amendments ingested in any order give the same status, timeline, diff and as-of answers,
and each store's read models equal a rebuild of its own log. The set includes two articles
of the same day, an undated article, and retractions and corrections that may arrive before
the event they amend."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.codec import encode
from tracker.events import (
    EVENT_CLASSES,
    ArticleIngested,
    EventCorrected,
    EventRetracted,
    Evidence,
)
from tracker.projections import readmodel
from tracker.projections.brief import diff, document
from tracker.projections.history import status_at, timeline_at
from tracker.store import SQLiteEventStore, open_store
from tracker.store.base import NewEvent

TALKS = "harbour-talks"
START = date(2025, 3, 1)
TYPES = [
    "proposal.made",
    "proposal.under_review",
    "proposal.rejected",
    "proposal.countered",
    "proposal.accepted",
    "talks.scheduled",
    "talks.held",
    "agreement.reached",
    "threat.issued",
    "demand.made",
]
PARTIES = ["Dockworkers Union", "Port Authority"]

report = st.fixed_dictionaries(
    {
        "type": st.sampled_from(TYPES),
        "actor": st.sampled_from(PARTIES),
        "modality": st.sampled_from(["asserted", "asserted", "asserted", "planned", "predicted"]),
        "occurred": st.one_of(st.none(), st.integers(0, 9)),
    }
)
# an article: its day (None: undated), its reports
article = st.tuples(
    st.one_of(st.none(), st.integers(0, 6)), st.lists(report, min_size=1, max_size=4)
)
amendment = st.tuples(
    st.sampled_from(["retract", "correct"]), st.integers(0, 100), st.integers(0, 100)
)


def _event(name: str, n: int, day: int | None, spec: dict[str, Any]) -> Any:
    actor = spec["actor"]
    other = PARTIES[1 - PARTIES.index(actor)]
    text = f"{actor} {spec['type']} ({name}, sentence {n})."
    occurred = spec["occurred"]
    return EVENT_CLASSES[spec["type"]].model_validate(
        {
            "type": spec["type"],
            "actor": actor,
            "target": other,
            "modality": spec["modality"],
            "evidence": [Evidence(text=text, start=0, end=len(text))],
            "negotiations": [TALKS],
            "article_id": name,
            "published": None if day is None else START + timedelta(days=day),
            "occurred": None if occurred is None else START + timedelta(days=occurred),
            "source_url": f"https://news{n % 2}.example/{name}",
        }
    )


def batches(articles: list[Any], amendments: list[Any]) -> list[tuple[str, list[NewEvent]]]:
    """Every article and amendment as the stream and batch it is appended as."""
    out: list[tuple[str, list[NewEvent]]] = []
    ids: list[str] = []
    for i, (day, specs) in enumerate(articles):
        name = f"article-{i}"
        head = ArticleIngested(
            article_id=name,
            content_sha256=f"{i:064x}",
            negotiations=(TALKS,),
            published=None if day is None else START + timedelta(days=day),
        )
        events = [encode(_event(name, n, day, s)) for n, s in enumerate(specs)]
        ids += [e.event_id for e in events]
        out.append((f"article-{name}", [encode(head), *events]))
    for j, (kind, which, pick) in enumerate(amendments):
        target = ids[which % len(ids)]
        if kind == "retract":
            change: Any = EventRetracted(event_id=target, reason=f"denied ({j})")
        else:
            fix = [{"modality": "predicted"}, {"actor": PARTIES[pick % 2]}][pick % 2]
            change = EventCorrected(event_id=target, changes=fix, reason=f"fixed ({j})")
        out.append((f"amendment-{j}", [encode(change)]))
    return out


LOG_COORDINATES = {"position", "first_position", "last_position"}  # where in this copy's log


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in LOG_COORDINATES}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def answers(store: SQLiteEventStore) -> dict[str, Any]:
    """What a user reads: status now and as of each day, the timeline, diff since each day."""
    now = status_at(store, TALKS)
    if now is None:  # every event retracted
        return {"status": None, "timeline": [e.id for e in timeline_at(store, TALKS)]}
    today = START + timedelta(days=30)
    out: dict[str, Any] = {
        "status": _plain(document(now, today)),
        "timeline": _plain([e.model_dump(mode="json") for e in timeline_at(store, TALKS)]),
    }
    for day in range(-1, 11, 3):
        when = START + timedelta(days=day)
        then = status_at(store, TALKS, as_of=when)
        before = then if then is not None else type(now)(negotiation=TALKS)
        out[f"as-of {when}"] = _plain(document(before, when, when))
        out[f"diff since {when}"] = diff(before, now, today)
    return out


def ingest(path: Path, plan: list[tuple[str, list[NewEvent]]], chunk: int) -> dict[str, Any]:
    with open_store(path) as store:
        for stream, batch in plan:
            store.append(stream, batch, expected_version=None)
            readmodel.catch_up(store, chunk=chunk)
        seen = answers(store)
        folded = readmodel.dump(store)
        readmodel.rebuild(store)
        assert readmodel.dump(store) == folded  # incremental == rebuild, in this order too
        assert answers(store) == seen
        return seen


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    articles=st.lists(article, min_size=2, max_size=5).map(
        # always two articles of the same day, and one undated
        lambda a: [(2, a[0][1]), (2, a[1][1]), (None, a[0][1][:1]), *a[2:]]
    ),
    amendments=st.lists(amendment, max_size=3),
    data=st.data(),
    chunk=st.integers(1, 6),
    snapshot_every=st.sampled_from([1, 2, 3, 1000]),  # how often a late report has a snapshot
)
def test_any_ingestion_order_gives_the_same_answers(
    articles: list[Any], amendments: list[Any], data: st.DataObject, chunk: int, snapshot_every: int
) -> None:
    plan = batches(articles, amendments)
    shuffled = data.draw(st.permutations(plan))
    default, readmodel.SNAPSHOT_EVERY = readmodel.SNAPSHOT_EVERY, snapshot_every
    try:
        with tempfile.TemporaryDirectory() as tmp:
            in_order = ingest(Path(tmp) / "in-order.db", plan, 1000)
            assert ingest(Path(tmp) / "shuffled.db", shuffled, chunk) == in_order
    finally:
        readmodel.SNAPSHOT_EVERY = default


def test_an_article_whose_events_fall_on_several_days_is_one_report() -> None:
    from projection_helpers import event, facts

    from tracker.projections.fold import project

    told = [
        event("proposal.made", "Egypt", article_id="a1", occurred=date(2024, 5, 1)),
        event("talks.held", "Egypt", article_id="a2", occurred=date(2024, 5, 2)),
        event("talks.scheduled", "Egypt", article_id="a1", occurred=date(2024, 5, 3)),
    ]
    status = project("gaza-ceasefire", facts(told))
    assert status.sources.articles == 2  # a1 and a2, though a1's days surround a2's

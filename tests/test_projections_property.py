"""Projections are disposable: folding event by event as they are appended gives exactly the
rows a rebuild from the whole log gives, for random event sequences (with retractions and
corrections, articles that name their negotiation only on the article, random chunk sizes)."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pg import fresh_database

from tracker.codec import encode
from tracker.events import (
    EVENT_CLASSES,
    NEGOTIATION_TYPES,
    ArticleIngested,
    EventCorrected,
    EventRetracted,
    Evidence,
    Term,
)
from tracker.projections import readmodel
from tracker.store import open_recorder, open_store
from tracker.store.base import NewEvent

ACTORS = ["Northland", "Southland", "Egypt"]
PLACES = [None, "Cairo", "Eastharbour"]
MODALITIES = ["asserted", "asserted", "planned", "predicted", "conditional", "negated"]
TALKS = ["north-talks", "south-talks"]

event_spec = st.fixed_dictionaries(
    {
        "type": st.sampled_from(NEGOTIATION_TYPES),
        "actor": st.sampled_from(ACTORS),
        "target": st.sampled_from([None, *ACTORS]),
        "location": st.sampled_from(PLACES),
        "modality": st.sampled_from(MODALITIES),
        "terms": st.lists(st.sampled_from(["ten hostages", "a truce", "aid"]), max_size=2),
        "own_negotiation": st.sampled_from([None, *TALKS]),
        "occurred": st.one_of(st.none(), st.integers(0, 12)),
    }
)
operation = st.one_of(
    st.tuples(
        st.just("article"),
        st.integers(0, 15),
        st.lists(st.sampled_from(TALKS), min_size=0, max_size=2, unique=True),
        st.lists(event_spec, min_size=1, max_size=5),
    ),
    st.tuples(st.just("retract"), st.integers(0, 10_000)),
    st.tuples(
        st.just("correct"),
        st.integers(0, 10_000),
        st.sampled_from(
            [{"modality": "predicted"}, {"actor": "Southland"}, {"negotiations": ["south-talks"]}]
        ),
    ),
)

START = date(2025, 1, 1)


def build(n: int, article: str, day: int, spec: dict[str, Any]) -> NewEvent:
    text = f"Sentence {n} of {article}."
    occurred = spec["occurred"]
    event = EVENT_CLASSES[spec["type"]].model_validate(
        {
            "type": spec["type"],
            "actor": spec["actor"],
            "target": spec["target"],
            "location": spec["location"],
            "modality": spec["modality"],
            "condition": "talks fail" if spec["modality"] == "conditional" else None,
            "terms": [Term(text=t) for t in spec["terms"]],
            "evidence": [Evidence(text=text, start=0, end=len(text))],
            "negotiations": [spec["own_negotiation"]] if spec["own_negotiation"] else [],
            "article_id": article,
            "published": START + timedelta(days=day),
            "occurred": None if occurred is None else START + timedelta(days=occurred),
            "source_url": f"https://news{n % 3}.example/{article}",
        }
    )
    return encode(event)


def apply(store: Any, operations: list[Any], chunk: int) -> None:
    stored_ids: list[str] = []
    for number, op in enumerate(operations):
        if op[0] == "article":
            _, day, talks, specs = op
            article = f"a{number}"
            digest = f"{number:064x}"
            head = ArticleIngested(
                article_id=article,
                content_sha256=digest,
                negotiations=tuple(talks),
                published=START + timedelta(days=day),
            )
            batch = [encode(head)] + [build(i, article, day, s) for i, s in enumerate(specs)]
            store.append(f"article-{article}", batch, expected_version=0)
            stored_ids += [e.event_id for e in batch[1:]]
        elif stored_ids:
            target = stored_ids[op[1] % len(stored_ids)]
            if op[0] == "retract":
                amendment: Any = EventRetracted(event_id=target, reason=f"wrong {number}")
                stored_ids.remove(target)
            else:
                amendment = EventCorrected(event_id=target, changes=op[2], reason=f"fix {number}")
            store.append(f"amend-{number}", [encode(amendment)], expected_version=0)
        readmodel.catch_up(store, chunk=chunk)


def same_either_way(store: Any, operations: list[Any], chunk: int, snapshot_every: int) -> None:
    default, readmodel.SNAPSHOT_EVERY = readmodel.SNAPSHOT_EVERY, snapshot_every
    try:
        apply(store, operations, chunk)
        incremental = readmodel.dump(store)
        assert incremental["checkpoint"] == store.head()
        readmodel.rebuild(store, chunk=1000)
        assert readmodel.dump(store) == incremental
    finally:
        readmodel.SNAPSHOT_EVERY = default


histories = {
    "operations": st.lists(operation, min_size=1, max_size=12),
    "chunk": st.integers(1, 7),
    "snapshot_every": st.sampled_from([1, 3, 1000]),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**histories)
def test_incremental_and_rebuilt_projections_are_identical(
    operations: list[Any], chunk: int, snapshot_every: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "p.db") as store:
        same_either_way(store, operations, chunk, snapshot_every)


# PostgreSQL folds with its own SQL (readmodels_pg.py): the same property, a database each
# example; fewer examples, since each one creates and drops a database on the server.
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**histories)
def test_on_postgresql_incremental_and_rebuilt_projections_are_identical(
    operations: list[Any], chunk: int, snapshot_every: int
) -> None:
    with fresh_database() as url, open_recorder(url) as store:
        same_either_way(store, operations, chunk, snapshot_every)

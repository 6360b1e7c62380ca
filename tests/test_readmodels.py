"""The read-model store, written once against its interface (tracker/store/readmodels.py) and
run for SQLite and PostgreSQL (a real server, tests/pg.py), as tests/test_store.py does for
the recorder: rows and checkpoint commit together or not at all, upserts replace, keys sort
byte-wise, the log is read in fold order, and the fold over either backend gives the same
read models, incrementally and rebuilt."""

from __future__ import annotations

import random
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from projection_helpers import SEED_ID, event, seed_events

from tracker.codec import encode
from tracker.events import ArticleIngested
from tracker.projections import readmodel
from tracker.projections.facts import fold_key
from tracker.projections.log import NEGOTIATION, fact_of
from tracker.store import EventStore, open_recorder
from tracker.store.readmodels import read_models

Opener = Callable[[], EventStore]


@pytest.fixture(params=["sqlite", "postgresql"])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    if request.param == "sqlite":
        path = tmp_path / "store.db"
        yield lambda: open_recorder(path)
    else:
        url = request.getfixturevalue("pg_url")
        yield lambda: open_recorder(url)


@pytest.fixture
def store(opener: Opener) -> Iterator[EventStore]:
    with opener() as opened:
        yield opened


class Crash(Exception):
    pass


def _article(store: EventStore, n: int, day: str, negotiation: str = "talks") -> None:
    article = f"{SEED_ID}-{n}"
    head = ArticleIngested(article_id=article, content_sha256=f"{n:064x}")
    told = {
        "article_id": article,
        "negotiations": (negotiation,),
        "published": date.fromisoformat(day),
    }
    events = [e.model_copy(update=told) for e in seed_events()]
    store.append(f"article-{article}", [encode(head), *map(encode, events)], 0)


def test_rows_and_checkpoint_commit_together_or_not_at_all(
    store: EventStore, opener: Opener
) -> None:
    tables = read_models(store)
    status = ("n1", "proposal", 3, 2, "2024-05-01", '{"negotiation": "n1"}', "k")
    with pytest.raises(Crash), tables.write_transaction():
        tables.put_statuses([status])
        tables.set_checkpoint("status@test", 7)
        raise Crash
    assert tables.checkpoint("status@test") == 0 and tables.negotiations() == []
    with tables.write_transaction():
        tables.put_statuses([status])
        tables.set_checkpoint("status@test", 7)
    with opener() as other:  # another client sees both
        assert read_models(other).checkpoint("status@test") == 7
        assert read_models(other).status("n1") == ('{"negotiation": "n1"}', "k")


def test_upserts_replace_and_clear_keeps_other_checkpoints(store: EventStore) -> None:
    tables = read_models(store)
    with tables.write_transaction():
        for phase in ("proposal", "agreement"):
            tables.put_statuses([("n1", phase, 1, 1, None, f'{{"p": "{phase}"}}', "")])
        tables.put_facts([("n1", "a", 1), ("n1", "a", 2), ("n1", "b", 3)])
        tables.set_checkpoint("status@test", 3)
        tables.set_checkpoint("status@test", 4)
        tables.set_checkpoint("search@1", 9)
    assert list(tables.statuses()) == [("n1", '{"p": "agreement"}')]
    assert sorted(tables.fact_positions("n1", "")) == [2, 3]
    assert tables.checkpoint("status@test") == 4
    assert tables.other_versions("status@", "status@6")
    with tables.write_transaction():
        tables.clear("status@")
    assert tables.negotiations() == [] and tables.fact_positions("n1", "") == []
    assert tables.checkpoint("status@test") == 0 and tables.checkpoint("search@1") == 9


def _entry(negotiation: str, day: str, rank: str, match: str, *positions: int) -> tuple:
    return (
        negotiation, day, rank, f"{negotiation}/{rank}", positions[0], "talks.held", "A", None,
        "asserted", 1, '["S"]', '["a"]', str(list(positions)), positions[-1], match,
    )  # fmt: skip


def test_timeline_pages_in_byte_order_and_finds_by_key(store: EventStore) -> None:
    tables = read_models(store)
    # ranks that a locale would sort otherwise: upper case before lower, accents after
    ranks = ["Z", "a", "b", "É", "\x1f", "0"]
    rows = [
        _entry("n", "2024-05-01", r, "m1" if i % 2 else "m2", i + 1) for i, r in enumerate(ranks)
    ]
    rows += [_entry("n", "", "u2", "m1", 20), _entry("n", "", "u1", "m1", 21)]
    rows += [_entry("n", "2024-04-30", "x", "m2", 30), _entry("other", "2024-05-01", "a", "m1", 40)]
    with tables.write_transaction():
        tables.put_timeline(rows)
        tables.put_timeline([_entry("n", "2024-04-30", "x", "m2", 30, 31)])  # replaces
    pages, after = [], ("", "")
    while page := tables.timeline_page("n", None, None, True, after, 2):
        pages.append([(r[1], r[2]) for r in page])
        after = (page[-1][1], page[-1][2])
    listed = [key for page in pages for key in page]
    assert listed == [("2024-04-30", "x")] + [("2024-05-01", r) for r in sorted(ranks)]
    assert all(len(page) <= 2 for page in pages)
    undated = tables.timeline_page("n", None, None, False, ("", ""), 10)
    assert [r[2] for r in undated] == ["u1", "u2"]
    last = tables.timeline_last("n", None, "2024-05-01", True, 2)
    assert [r[2] for r in last] == sorted(ranks)[::-1][:2]
    assert [r[2] for r in tables.timeline_last("n", "2024-05-01", None, True, 9)][-1] == sorted(
        ranks
    )[0]
    window = tables.timeline_window("n", "2024-04-29", "2024-04-30", "m2")
    assert [(r[2], r[12]) for r in window] == [("x", "[30, 31]")]
    assert tables.timeline_positions("n", "m1") == {2, 4, 6, 20, 21}
    assert tables.timeline_positions("n") == {1, 2, 3, 4, 5, 6, 20, 21, 30, 31}
    with tables.write_transaction():
        tables.delete_timeline("n", "m1")
    assert tables.timeline_positions("n") == {1, 3, 5, 30, 31}
    assert tables.timeline_positions("other") == {40}


def test_snapshots_and_forget_by_fold_key(store: EventStore) -> None:
    tables = read_models(store)
    with tables.write_transaction():
        tables.put_snapshots([("n", "2024-05-01\x1fa", "s1"), ("n", "2024-05-03\x1fa", "s3")])
        tables.put_facts([("n", "2024-05-01\x1fa", 1), ("n", "2024-05-02\x1fa", 2)])
    assert tables.snapshot_before("n", "2024-05-03\x1fa") == ("2024-05-01\x1fa", "s1")
    assert tables.snapshot_before("n", "2024-05-01\x1fa") is None
    with tables.write_transaction():
        tables.forget("n", "2024-05-01\x1fa")
    assert tables.fact_positions("n", "") == [1]
    assert tables.snapshot_before("n", "9") == ("2024-05-01\x1fa", "s1")


def test_the_log_is_read_in_fold_order(store: EventStore) -> None:
    days = ["2024-05-03", "2024-04-30", "2024-05-01", "2024-05-03", "2024-04-29"]
    for n, day in enumerate(days):
        _article(store, n, day)
    loose = event("talks.held", "Egypt", "Egypt held talks.", published=None)  # no article
    store.append("manual-1", [encode(loose)], 0)
    tables = read_models(store)
    types = sorted(NEGOTIATION)
    folded = [fact_of(row) for row in tables.sorted_rows(store.head(), types)]
    assert [f.position for f in folded] == [f.position for f in sorted(folded, key=fold_key)]
    assert len(folded) == len(days) * len(seed_events()) + 1
    some = random.Random(3).sample(range(1, store.head() + 1), 7)
    assert [row[0] for row in tables.rows_at(some)] == sorted(some)
    assert [row[0] for row in tables.rows(3, 9)] == list(range(4, 10))
    ids = dict(tables.article_negotiations())
    assert ids[f"{SEED_ID}-0"] == ()  # filed under none: the events name theirs
    assert tables.recorded_at(1) == next(store.read_all()).recorded_at


def test_a_crash_before_commit_keeps_the_old_rows_then_folds_each_event_once(
    store: EventStore,
) -> None:
    for n, day in enumerate(["2024-05-02", "2024-05-01", "2024-05-04"]):
        _article(store, n, day)
    commits = 0

    def crash_on_the_second() -> None:
        nonlocal commits
        commits += 1
        if commits == 2:
            raise Crash

    with pytest.raises(Crash):
        readmodel.catch_up(store, chunk=10, before_commit=crash_on_the_second)
    assert readmodel.checkpoint(store) == 10
    readmodel.catch_up(store, chunk=10)
    resumed = readmodel.dump(store)
    assert resumed["status"]["talks"]["events"] == 3 * len(seed_events())
    readmodel.rebuild(store)
    assert readmodel.dump(store) == resumed


def test_late_reports_fold_as_a_rebuild_does(store: EventStore) -> None:
    days = ["2024-05-05", "2024-05-01", "2024-05-07", "2024-04-28", "2024-05-03"]
    for n, day in enumerate(days):  # each catch-up meets a report dated before the last
        _article(store, n, day, negotiation="talks" if n % 2 else "other")
        readmodel.catch_up(store)
    incremental = readmodel.dump(store)
    readmodel.rebuild(store)
    assert readmodel.dump(store) == incremental
    assert sorted(incremental["status"]) == ["other", "talks"]


def test_concurrent_catch_ups_fold_each_event_once(opener: Opener) -> None:
    with opener() as store:
        for n in range(8):
            _article(store, n, f"2024-05-{n + 1:02d}")
    errors: list[BaseException] = []

    def fold() -> None:
        try:
            with opener() as mine:
                readmodel.catch_up(mine, chunk=5)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=fold) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    with opener() as store:
        folded = readmodel.dump(store)
        assert folded["checkpoint"] == store.head()
        assert folded["status"]["talks"]["events"] == 8 * len(seed_events())
        readmodel.rebuild(store)
        assert readmodel.dump(store) == folded


def _schema(path: Path) -> list[tuple[str, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))


def test_a_sqlite_rebuild_makes_its_dropped_indexes_again_and_a_failed_one_keeps_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SQLite rebuild drops the projection tables' secondary indexes while it writes and
    makes them again before it commits: the schema after it is the one before, and a rebuild
    that fails midway leaves the old rows and indexes."""
    path = tmp_path / "store.db"
    with open_recorder(path) as store:
        for n, day in enumerate(["2024-05-05", "2024-05-01", "2024-05-07"]):
            _article(store, n, day)
        readmodel.catch_up(store)
        schema, folded = _schema(path), readmodel.dump(store)
        assert any(row[0] == "index" and row[2] == "projection_timeline" for row in schema)
        readmodel.rebuild(store)
        assert _schema(path) == schema and readmodel.dump(store) == folded

        def crash(*_: object) -> None:
            raise Crash

        monkeypatch.setattr(readmodel._Rebuild, "write", crash)
        with pytest.raises(Crash):
            readmodel.rebuild(store)
        assert _schema(path) == schema and readmodel.dump(store) == folded

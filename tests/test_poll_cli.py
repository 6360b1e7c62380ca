"""The feeds commands end to end, and polls run as real processes: two at once, and one
killed in the middle and started again. Each entry must be ingested exactly once."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from feedserver import rss

from tracker.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SEED_FEED = ROOT / "seeds" / "feed.xml"


def items(first: int, last: int, prefix: str = "a") -> list[dict[str, str]]:
    return [
        {
            "title": f"Delegation {prefix}{n} arrives for talks",
            "guid": f"urn:{prefix}:{n}",
            "description": f"A delegation ({prefix}{n}) arrived in Doha for a new round.",
        }
        for n in range(first, last + 1)
    ]


def ingested(db: Path) -> list[str]:
    with open_store(db) as store:
        return [e.payload["article_id"] for e in store.read_all(types=["article.ingested"])]


def tracker(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tracker.cli.app", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def test_add_fetches_once_then_list_poll_and_remove(cli, db_path, server):
    url = server.add("/news.xml", body=rss(items(1, 3)), etag='"1"')
    added = cli(
        "feeds", "add", url, "--every", "30m", "--negotiation", "gaza-ceasefire", "--create"
    )
    assert added.code == 0, added.err
    assert "3 new articles" in added.err
    assert server.hits["/news.xml"] == 1  # adding fetched once, and that fetch ingested
    listed = cli("feeds", "list", "--format", "json")
    [row] = listed.json()
    assert (row["url"], row["status"], row["every"], row["entries"]) == (url, "active", "30m", 3)
    assert row["negotiation"] == "gaza-ceasefire" and row["last_error"] is None
    polled = cli("poll", "--json")
    assert polled.code == 0
    summary = json.loads(polled.out)
    assert (summary["feeds"], summary["new_articles"], summary["errors"]) == (1, 0, 0)
    assert cli("feeds", "add", url).code == 1  # already subscribed
    assert cli("feeds", "remove", url).code == 0
    assert cli("feeds", "list", "--format", "json").json() == []
    assert "no feeds to poll" in cli("poll").err
    assert len(ingested(db_path)) == 3  # removing keeps the articles


def test_poll_reports_errors_and_exits_1(cli, server):
    good = server.add("/good.xml", body=rss(items(1, 1)))
    bad = server.add("/bad.xml", body=b"<html><body>login</body></html>", content_type="text/html")
    assert cli("feeds", "add", good).code == 0
    assert cli("feeds", "add", bad, "--force").code == 0  # kept, with the reason shown
    server.add("/good.xml", body=rss(items(1, 2)))
    result = cli("poll", "--force", "--json")
    assert result.code == 1
    assert json.loads(result.out)["errors"] == 1 and json.loads(result.out)["new_articles"] == 1
    assert "HTML page, not an RSS or Atom feed" in result.err
    [row] = [r for r in cli("feeds", "list", "--format", "json").json() if r["url"] == bad]
    assert row["status"] == "failing" and "HTML" in row["last_error"]


@pytest.mark.parametrize(
    "source", ["file:///etc/passwd", "ftp://example.org/feed.xml", "/no/such/feed.xml"]
)
def test_only_http_urls_and_local_paths_are_accepted(cli, source):
    result = cli("feeds", "add", source)
    assert result.code == 2
    assert result.err.startswith("error: ") and len(result.err.strip().splitlines()) == 1


def test_an_absurd_interval_is_refused_before_anything_is_stored(cli, db_path):
    # Bug: 10^23 days was appended, and every feeds command after it failed to fold the log.
    assert cli("init").code == 0
    result = cli("feeds", "add", str(SEED_FEED), "--every", "99999999999999999999999d")
    assert result.code == 2 and "--every" in result.err
    assert cli("feeds", "list", "--format", "json").json() == []
    with open_store(db_path) as store:
        assert list(store.read_all()) == []


def test_the_seed_feed_is_ingested_by_path(cli, db_path):
    assert cli("feeds", "add", str(SEED_FEED)).code == 0
    with open_store(db_path) as store:
        [article] = [e.payload for e in store.read_all(types=["article.ingested"])]
    assert article["published"] == "2024-04-30"
    assert article["title"].startswith("Blinken Calls On Hamas")
    assert cli("poll").code == 0
    assert len(ingested(db_path)) == 1  # the unchanged file is not read again


def test_a_local_feed_is_removed_by_its_path_as_typed_even_once_deleted(cli, tmp_path, monkeypatch):
    # Bug: a relative path was resolved only while the file existed, so a feed whose file had
    # gone could be removed only by its absolute path.
    (tmp_path / "local.xml").write_bytes(SEED_FEED.read_bytes())
    monkeypatch.chdir(tmp_path)
    assert cli("feeds", "add", "local.xml").code == 0
    (tmp_path / "local.xml").unlink()
    result = cli("feeds", "remove", "local.xml")
    assert result.code == 0, result.err
    assert cli("feeds", "list", "--format", "json").json() == []


def test_poll_feed_option_and_unknown_feed(cli, server):
    url = server.add("/one.xml", body=rss(items(1, 1)))
    cli("feeds", "add", url)
    polled = cli("poll", "--feed", url)
    assert polled.code == 0
    assert polled.err.startswith(url)  # no progress bar, nor a blank line, off a terminal
    result = cli("poll", "--feed", server.url("/other.xml"))
    assert result.code == 1 and "no subscribed feed" in result.err


def test_two_polls_at_once_ingest_each_entry_once(cli, db_path, server):
    # Two feeds that share half their entries, polled by two processes at the same time.
    shared = items(1, 150, "s")
    for name, own in (("x", items(1, 150, "x")), ("y", items(1, 150, "y"))):
        url = server.add(f"/{name}.xml", body=rss(own + shared))
        from tracker.feeds import subscribe

        with open_store(db_path) as store:
            subscribe(store, url, every_s=60)
    procs = [tracker("poll", "--db", str(db_path)) for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    ids = ingested(db_path)
    assert len(ids) == len(set(ids)) == 450
    rows = cli("feeds", "list", "--format", "json").json()
    assert sum(row["entries"] for row in rows) == 450


def test_a_poll_killed_midway_loses_and_doubles_nothing(db_path, server):
    body = rss(items(1, 2000, "big"))
    url = server.add("/big.xml", body=body, etag='"big"')
    from tracker.feeds import subscribe

    with open_store(db_path) as store:
        subscribe(store, url, every_s=60)
    proc = tracker("poll", "--db", str(db_path))
    deadline = time.monotonic() + 60
    count = 0
    while time.monotonic() < deadline and proc.poll() is None:
        with sqlite3.connect(db_path) as conn:
            count = conn.execute(
                "SELECT COUNT(*) FROM events WHERE type = 'article.ingested'"
            ).fetchone()[0]
        if count >= 50:
            break
        time.sleep(0.02)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert 0 < len(ingested(db_path)) < 2000 or proc.returncode == 0
    again = tracker("poll", "--db", str(db_path))
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    ids = ingested(db_path)
    assert len(ids) == len(set(ids)) == 2000
    with open_store(db_path) as store:
        assert store.verify().ok


def test_worker_processes_share_a_poll_and_ingest_each_entry_once(db_path, server):
    from tracker.feeds import PollOptions, subscribe
    from tracker.feeds.workers import poll_in_processes

    shared = items(1, 5, "w")
    with open_store(db_path) as store:
        ids = [
            subscribe(store, server.add(f"/w{n}.xml", body=rss(items(1, 5, f"f{n}") + shared)),
                      every_s=60).feed_id
            for n in range(4)
        ]  # fmt: skip
    seen = []
    reports = poll_in_processes(
        db_path, ids, processes=2, jobs=2, options=PollOptions(timeout=10), on_done=seen.append
    )
    assert len(reports) == len(seen) == 4 and all(r.error is None for r in reports)
    ids_in = ingested(db_path)
    assert len(ids_in) == len(set(ids_in)) == 4 * 5 + 5


def test_a_poll_on_processes_where_nothing_changed_starts_no_worker(db_path, server, monkeypatch):
    """The conditional GETs come first, in this process: feeds that answer 304 are settled
    here (no event), and only new documents go to worker processes, which a poll where
    nothing changed never starts; a feed that changed since is still ingested by a worker."""
    from tracker.feeds import PollOptions, subscribe
    from tracker.feeds import workers as feed_workers

    routes = [f"/n{n}.xml" for n in range(4)]
    with open_store(db_path) as store:
        ids = [
            subscribe(store, server.add(path, body=rss(items(1, 3, f"n{n}")), etag=f'"n{n}"'),
                      every_s=60).feed_id
            for n, path in enumerate(routes)
        ]  # fmt: skip
    options = PollOptions(timeout=10)
    feed_workers.poll_in_processes(db_path, ids, processes=2, jobs=2, options=options)
    with open_store(db_path) as store:
        head = store.head()
    started = []
    spawn = feed_workers.multiprocessing.get_context
    monkeypatch.setattr(
        feed_workers.multiprocessing,
        "get_context",
        lambda method: started.append(method) or spawn(method),
    )
    again = feed_workers.poll_in_processes(db_path, ids, processes=2, jobs=2, options=options)
    assert [r.outcome for r in again] == ["unchanged"] * 4 and started == []
    assert all(server.requests_to(p)[-1].headers["if-none-match"] == f'"n{n}"'
               for n, p in enumerate(routes))  # fmt: skip
    with open_store(db_path) as store:
        assert store.head() == head  # a 304 appends nothing
    for n in (0, 1):
        server.add(routes[n], body=rss(items(1, 4, f"n{n}")), etag=f'"n{n}b"')
    third = feed_workers.poll_in_processes(db_path, ids, processes=2, jobs=2, options=options)
    assert sorted(r.outcome for r in third) == ["new", "new", "unchanged", "unchanged"]
    assert started == ["spawn"]
    ids_in = ingested(db_path)
    assert len(ids_in) == len(set(ids_in)) == 4 * 3 + 2

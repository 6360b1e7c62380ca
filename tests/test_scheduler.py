"""`tracker run` as a real process for a bounded time: it polls at each feed's interval, picks
up feeds added while it runs, refuses a second scheduler on the same store, stops cleanly on
SIGTERM and SIGINT, and resumes after a restart with nothing lost or doubled."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from feedserver import rss

from tracker.feeds import subscribe
from tracker.store import open_store

ROOT = Path(__file__).resolve().parents[1]


def items(*numbers: int) -> list[dict[str, str]]:
    return [
        {"title": f"Round {n} of talks", "guid": f"urn:sched:{n}", "description": f"Round {n}."}
        for n in numbers
    ]


def start(db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tracker.cli.app", "run", "--db", str(db), "--rescan", "0.3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def wait_for(check: Callable[[], bool], proc: subprocess.Popen[str], limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if check():
            return
        if proc.poll() is not None:
            raise AssertionError(f"scheduler exited early: {proc.communicate()[1]}")
        time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"gave up waiting; scheduler said: {proc.communicate()[1]}")


def articles(db: Path) -> list[str]:
    with open_store(db) as store:
        return [e.payload["article_id"] for e in store.read_all(types=["article.ingested"])]


def polled_urls(db: Path) -> set[str]:
    with open_store(db) as store:
        return {str(e.payload["url"]) for e in store.read_all(types=["feed.polled"])}


def stop(proc: subprocess.Popen[str], signum: int = signal.SIGTERM) -> str:
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopped" in err
    return err


def test_scheduler_polls_picks_up_new_feeds_refuses_a_twin_and_resumes(db_path, server):
    first = server.add("/one.xml", body=rss(items(1, 2)), etag='"1"')
    with open_store(db_path) as store:
        subscribe(store, first, every_s=1)
    proc = start(db_path)
    wait_for(lambda: len(articles(db_path)) == 2, proc)

    twin = start(db_path)
    _, err = twin.communicate(timeout=30)
    assert twin.returncode == 1 and "only one scheduler may run per store" in err

    second = server.add("/two.xml", body=rss(items(10)))
    with open_store(db_path) as store:  # added while it runs: no poll of its own
        subscribe(store, second, every_s=1)
    wait_for(lambda: second in polled_urls(db_path), proc)

    server.add("/one.xml", body=rss(items(3, 2, 1)), etag='"2"')  # a new entry, polled by interval
    wait_for(lambda: len(articles(db_path)) == 4, proc)
    log = stop(proc)
    assert f"poll {first}" in log and "new articles" in log
    assert server.requests_to("/one.xml")[-1].headers.get("if-none-match") in ('"1"', '"2"')

    server.add("/one.xml", body=rss(items(4, 3, 2, 1)), etag='"3"')  # arrives while stopped
    again = start(db_path)
    wait_for(lambda: len(articles(db_path)) == 5, again)
    time.sleep(1.5)  # a few more polls of unchanged feeds
    stop(again, signal.SIGINT)
    ids = articles(db_path)
    assert len(ids) == len(set(ids)) == 5


def test_sigterm_lets_the_poll_in_hand_finish(db_path, server):
    # A feed whose body drips for about a second: the stop arrives in the middle of the poll.
    url = server.add("/drip.xml", body=rss(items(1, 2, 3)), drip_s=0.003)
    with open_store(db_path) as store:
        subscribe(store, url, every_s=3600)
    proc = start(db_path)
    wait_for(lambda: server.hits["/drip.xml"] == 1, proc)
    log = stop(proc)
    assert len(articles(db_path)) == 3, log  # the poll in hand was finished, not cut

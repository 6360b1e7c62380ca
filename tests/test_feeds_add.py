"""`tracker feeds add` checks the feed with the one fetch that also ingests it: a feed that
cannot be reached or read is refused with the reason and nothing is stored, unless --force."""

from __future__ import annotations

import socket

from feedserver import rss

from tracker.store import open_store

ITEMS = [{"title": "Round 1", "guid": "urn:add:1", "description": "Round 1 of the talks."}]


def _feed_events(db_path):
    with open_store(db_path) as store:
        return [e.type for e in store.read_all() if e.type.startswith("feed.")]


def test_a_good_feed_is_fetched_once_and_subscribed(cli, db_path, server):
    url = server.add("/ok.xml", body=rss(ITEMS))
    result = cli("feeds", "add", url)
    assert result.code == 0, result.err
    assert server.hits["/ok.xml"] == 1
    assert "1 new articles" in result.err
    assert _feed_events(db_path) == ["feed.subscribed", "feed.polled"]


def test_an_unreadable_feed_is_refused_with_the_reason(cli, db_path, server):
    page = server.add(
        "/page.html", body=b"<html><body>login</body></html>", content_type="text/html"
    )
    result = cli("feeds", "add", page)
    assert result.code == 1
    [line] = result.err.strip().splitlines()
    assert line.startswith(f"error: not subscribed to {page}: the content is an HTML page")
    assert line.endswith("(--force subscribes anyway and retries it)")
    assert server.hits["/page.html"] == 1
    assert _feed_events(db_path) == []
    assert cli("feeds", "list", "--format", "json").json() == []


def test_an_unreachable_feed_is_refused_and_forced_in(cli, db_path, server):
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/feed.xml"
    refused = cli("feeds", "add", dead, "--timeout", "2")
    assert refused.code == 1 and refused.err.startswith(f"error: not subscribed to {dead}: ")
    assert _feed_events(db_path) == []

    forced = cli("feeds", "add", dead, "--timeout", "2", "--force")
    assert forced.code == 0
    assert "it will be retried with backoff" in forced.err
    assert _feed_events(db_path) == ["feed.subscribed", "feed.failed"]
    [row] = cli("feeds", "list", "--format", "json").json()
    assert row["status"] == "failing" and row["failures"] == 1


def test_a_404_is_refused(cli, server):
    missing = server.url("/missing.xml")
    result = cli("feeds", "add", missing)
    assert result.code == 1 and "HTTP 404" in result.err


def test_an_unknown_negotiation_is_refused_as_ingest_refuses_it(cli, db_path, server):
    url = server.add("/talks.xml", body=rss(ITEMS))
    typo = cli("feeds", "add", url, "--negotiation", "israel-hamas-ceasfire")
    assert typo.code == 2 and typo.err.count("\n") == 1
    assert "unknown negotiation 'israel-hamas-ceasfire'" in typo.err
    assert "did you mean israel-hamas-ceasefire " in typo.err and "--create" in typo.err
    assert server.hits["/talks.xml"] == 0  # refused before the feed is fetched
    assert _feed_events(db_path) == []
    started = cli("feeds", "add", url, "--negotiation", "harbour-talks", "--create")
    assert started.code == 0, started.err
    [row] = cli("feeds", "list", "--format", "json").json()
    assert row["negotiation"] == "harbour-talks"

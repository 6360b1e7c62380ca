"""One hostile feed must not stop the others; every fetch has one wall-clock deadline; links
found in feeds may not reach loopback or private addresses. Real servers on 127.0.0.1."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from feedserver import rss

from tracker import netguard
from tracker.feeds import PollOptions, poll_feed, subscribe
from tracker.feeds.state import get_feed
from tracker.http import FetchError, fetch
from tracker.netguard import is_public

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def items(*numbers: int) -> list[dict[str, str]]:
    return [
        {"title": f"Envoys meet for round {n}", "guid": f"urn:h:{n}",
         "description": f"Negotiators met for round {n} of the talks in Cairo."}
        for n in numbers
    ]  # fmt: skip


@pytest.mark.parametrize(
    "target", ["javascript:alert(1)", "data:text/xml,<rss/>", "file:///etc/passwd"]
)
def test_a_redirect_to_another_scheme_fails_that_feed_only(cli, server, target):
    good = server.add("/good.xml", body=rss(items(1, 2)))
    bad = server.add("/evil.xml", status=302, location=target)
    assert cli("feeds", "add", good).code == 0
    refused = cli("feeds", "add", bad)  # checked once: refused with the reason
    assert refused.code == 1 and "redirect to a" in refused.err and "refused" in refused.err
    added = cli("feeds", "add", bad, "--force")  # kept anyway: it must fail alone
    assert added.code == 0 and "redirect to a" in added.err and "refused" in added.err
    server.add("/good.xml", body=rss(items(1, 2, 3)))
    result = cli("poll", "--force", "--json")
    assert result.code == 1, result.err
    summary = json.loads(result.out)
    assert (summary["feeds"], summary["errors"], summary["new_articles"]) == (2, 1, 1)
    assert summary["failed"][0]["url"] == bad and "refused" in summary["failed"][0]["error"]
    assert "unexpected" not in result.err
    [row] = [r for r in cli("feeds", "list", "--format", "json").json() if r["url"] == bad]
    assert row["status"] == "failing" and row["failures"] == 2 and row["retry_at"]
    assert "refused" in row["last_error"]


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0", "1e9"])
def test_unusable_timeouts_are_refused_at_the_edge(cli, server, value):
    url = server.add("/f.xml", body=rss(items(1)))
    for args in (("feeds", "add", url), ("poll",), ("run",)):
        result = cli(*args, "--timeout", value)
        assert result.code == 2 and "--timeout" in result.err, (args, result.err)
        assert len(result.err.strip().splitlines()) == 1
    assert server.hits["/f.xml"] == 0
    assert cli("feeds", "list", "--format", "json").code != 0  # nothing was stored: no store


def test_poll_options_refuse_an_infinite_timeout():
    with pytest.raises(FetchError.__mro__[1]):  # TrackerError
        PollOptions(timeout=float("inf"))


def test_headers_dripped_a_byte_at_a_time_hit_the_overall_deadline(server):
    url = server.add("/drip-head.xml", drip_headers_s=0.05)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out after 1 s"):
        fetch(url, timeout=1.0)
    assert time.monotonic() - started < 2.5  # per read it would never time out


def test_a_dripping_body_hits_the_overall_deadline_in_a_poll(store, server):
    fast = subscribe(store, server.add("/fast.xml", body=rss(items(1))), every_s=900, now=T0)
    slow = subscribe(store, server.add("/slow.xml", body=rss(items(2)) * 50, drip_s=0.02),
                     every_s=900, now=T0)  # fmt: skip
    started = time.monotonic()
    report = poll_feed(store, get_feed(store, slow.feed_id), PollOptions(timeout=1.0), now=T0)
    assert report.outcome == "failed" and "timed out" in (report.error or "")
    assert time.monotonic() - started < 2.5
    assert get_feed(store, slow.feed_id).retry_at is not None
    ok = poll_feed(store, get_feed(store, fast.feed_id), PollOptions(timeout=1.0), now=T0)
    assert ok.new_articles == 1


def test_a_feed_link_to_loopback_is_not_fetched(store, server):
    server.add("/admin/secret", body=b"<html><body><p>" + b"secret " * 40 + b"</p></body></html>",
               content_type="text/html")  # fmt: skip
    entry = {"title": "Talks resume", "guid": "urn:ssrf:1", "link": server.url("/admin/secret"),
             "description": "Negotiators returned to Cairo."}  # fmt: skip
    feed = subscribe(store, server.add("/ssrf.xml", body=rss([entry])), every_s=900,
                     full_text=True, now=T0)  # fmt: skip
    report = poll_feed(store, get_feed(store, feed.feed_id), PollOptions(timeout=2.0), now=T0)
    assert report.new_articles == 1
    assert "non-public address" in (report.warning or "")
    assert server.requests_to("/admin/secret") == []
    everything = " ".join(str(e.payload) for e in store.read_all())
    assert "secret secret" not in everything


def test_a_link_to_loopback_is_refused_before_connecting(server):
    url = server.add("/admin", body=b"x")
    with pytest.raises(FetchError, match=r"127\.0\.0\.1, a non-public address"):
        fetch(url, timeout=2.0, public_only=True)
    assert server.requests_to("/admin") == []
    assert fetch(url, timeout=2.0).status == 200  # typed on the command line, it may


def test_every_redirect_hop_is_checked(server, monkeypatch):
    # Let 127.0.0.1 stand for a public host, so that its redirect to 127.0.0.2 (another
    # loopback address, non-public) is the hop that must be refused.
    monkeypatch.setattr(netguard, "is_public", lambda address: address == "127.0.0.1")
    port = server.httpd.server_address[1]
    hop = server.add("/hop", status=302, location=f"http://127.0.0.2:{port}/admin")
    with pytest.raises(FetchError, match=r"127\.0\.0\.2, a non-public address"):
        fetch(hop, timeout=2.0, public_only=True)
    assert len(server.requests_to("/hop")) == 1


@pytest.mark.parametrize(
    ("address", "public"),
    [("127.0.0.1", False), ("10.1.2.3", False), ("169.254.169.254", False),
     ("192.168.0.1", False), ("::1", False), ("fe80::1", False), ("::ffff:127.0.0.1", False),
     ("0.0.0.0", False), ("93.184.216.34", True), ("2606:4700::1111", True)],
)  # fmt: skip
def test_which_addresses_count_as_public(address, public):
    assert is_public(address) is public


def test_an_uppercase_scheme_is_a_url_not_a_path(cli, server):
    url = server.add("/caps.xml", body=rss(items(1)))
    result = cli("feeds", "add", "HTTP://" + url.removeprefix("http://"))
    assert result.code == 0, result.err
    assert server.hits["/caps.xml"] == 1
    [row] = cli("feeds", "list", "--format", "json").json()
    assert row["url"] == url


def test_the_run_lock_is_keyed_by_the_resolved_store(tmp_path):
    from tracker.errors import TrackerError
    from tracker.scheduler import scheduler_lock

    real = tmp_path / "talks.db"
    real.touch()
    (tmp_path / "other").mkdir()
    alias = tmp_path / "other" / "alias.db"
    alias.symlink_to(real)
    with (
        scheduler_lock(real),
        pytest.raises(TrackerError, match="already polling"),
        scheduler_lock(alias),
    ):
        pass


@pytest.mark.parametrize("reference", ["&#xD800;", "&#56320;", "&#x110000;"])
def test_a_reference_to_no_character_is_replaced_and_reported(cli, server, reference):
    """A lone surrogate (or a number past U+10FFFF) as a character reference made feedparser
    raise: the feed failed whole. Now it is read with U+FFFD in its place, and the poll says so."""
    good = server.add("/good.xml", body=rss(items(1)))
    body = rss([
        {"title": "Envoys meet BAD in Cairo", "guid": "urn:s:1",
         "description": "<p>Negotiators met BAD for a new round of the talks in Cairo.</p>"},
        *items(2),
    ]).replace(b"BAD", reference.encode())  # fmt: skip
    bad = server.add("/surrogate.xml", body=body)
    assert cli("feeds", "add", good).code == 0
    added = cli("feeds", "add", bad)
    assert added.code == 0 and "replaced with U+FFFD" in added.err, added.err
    result = cli("poll", "--force", "--json")
    assert result.code == 0, result.err
    summary = json.loads(result.out)
    assert (summary["feeds"], summary["errors"]) == (2, 0)
    assert "character reference(s) to no character replaced with U+FFFD" in result.err
    assert "unexpected" not in result.err
    [row] = [r for r in cli("feeds", "list", "--format", "json").json() if r["url"] == bad]
    assert row["status"] != "failing" and "U+FFFD" in row["last_warning"]
    titles = [r["title"] for r in cli("list", "--format", "json").json()
              if r["type"] == "article.ingested"]  # fmt: skip
    assert sorted(titles) == ["Envoys meet for round 1", "Envoys meet for round 2",
                              "Envoys meet \ufffd in Cairo"]  # fmt: skip

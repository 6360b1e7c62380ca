"""Polling against a real HTTP server on 127.0.0.1: conditional GET, errors, backoff,
redirects, limits, dedup. Articles and feed state are asserted, not extracted events."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from feedserver import atom, rss

from tracker.article import Article
from tracker.feeds import PollOptions, poll_feed, subscribe
from tracker.feeds.model import Feed
from tracker.feeds.poll import with_headline
from tracker.feeds.state import get_feed
from tracker.http import USER_AGENT
from tracker.store import SQLiteEventStore

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def items(*numbers: int) -> list[dict[str, str]]:
    return [
        {
            "title": f"Mediators report progress in round {n}",
            "guid": f"urn:test:{n}",
            "link": f"https://news.invalid/{n}",
            "description": f"Negotiators met for round {n} of the talks in Cairo.",
        }
        for n in numbers
    ]


def add(store: SQLiteEventStore, url: str, every_s: int = 900) -> Feed:
    return subscribe(store, url, every_s=every_s, now=T0)


def poll(store: SQLiteEventStore, feed_id: str, now: datetime = T0, **options: object):  # type: ignore[no-untyped-def]
    feed = get_feed(store, feed_id)
    assert feed is not None
    opts = PollOptions(timeout=options.pop("timeout", 2.0), rng=random.Random(7), **options)  # type: ignore[arg-type]
    return poll_feed(store, feed, opts, now=now)


def articles(store: SQLiteEventStore) -> list[dict[str, object]]:
    return [e.payload for e in store.read_all(types=["article.ingested"])]


def feed_events(store: SQLiteEventStore, type_: str) -> list[dict[str, object]]:
    return [e.payload for e in store.read_all(types=[type_])]


def test_etag_makes_an_unchanged_feed_cost_a_304_and_nothing_in_the_log(store, server):
    url = server.add("/f.xml", body=rss(items(1, 2)), etag='"v1"')
    feed = add(store, url)
    first = poll(store, feed.feed_id)
    assert (first.outcome, first.new_articles) == ("new", 2)
    head = store.head()
    second = poll(store, feed.feed_id, T0 + timedelta(minutes=15))
    assert (second.outcome, second.new_articles) == ("unchanged", 0)
    assert server.requests_to("/f.xml")[-1].headers["if-none-match"] == '"v1"'
    assert store.head() == head  # a 304 appends nothing
    assert get_feed(store, feed.feed_id).last_checked_at == T0 + timedelta(minutes=15)


def test_last_modified_alone_gives_a_conditional_get(store, server):
    stamp = "Mon, 05 Jan 2026 11:00:00 GMT"
    url = server.add("/lm.xml", body=rss(items(1)), last_modified=stamp)
    feed = add(store, url)
    poll(store, feed.feed_id)
    assert poll(store, feed.feed_id).outcome == "unchanged"
    assert server.requests_to("/lm.xml")[-1].headers["if-modified-since"] == stamp


def test_a_feed_that_changes_between_polls_adds_only_its_new_entries(store, server):
    url = server.add("/f.xml", body=rss(items(1, 2)), etag='"v1"')
    feed = add(store, url)
    poll(store, feed.feed_id)
    server.add("/f.xml", body=rss(items(3, 2, 1)), etag='"v2"')
    report = poll(store, feed.feed_id)
    assert report.new_articles == 1
    urls = sorted(str(a["url"]) for a in articles(store))
    assert urls == [f"https://news.invalid/{n}" for n in (1, 2, 3)]
    assert get_feed(store, feed.feed_id).entries_seen == 3


@pytest.mark.parametrize("status", [404, 500])
def test_http_errors_fail_back_off_and_recover(store, server, status):
    url = server.add("/f.xml", status=status, body=b"no")
    feed = add(store, url, every_s=600)
    report = poll(store, feed.feed_id)
    assert report.outcome == "failed" and f"HTTP {status}" in (report.error or "")
    delays = []
    for attempt in range(1, 4):
        state = get_feed(store, feed.feed_id)
        assert state.status == "failing" and state.failures == attempt
        assert state.retry_at is not None
        delays.append((state.retry_at - state.last_poll_at).total_seconds())
        poll(store, feed.feed_id, state.retry_at)  # fails again once due
    # doubled each time, with jitter: attempt n waits between half and all of 600 * 2^(n-1)
    for attempt, delay in enumerate(delays, start=1):
        assert 600 * 2 ** (attempt - 1) / 2 <= delay <= 600 * 2 ** (attempt - 1)
    before = len(server.requests_to("/f.xml"))
    waiting = poll(store, feed.feed_id, get_feed(store, feed.feed_id).last_poll_at)
    assert waiting.outcome == "waiting" and len(server.requests_to("/f.xml")) == before
    server.add("/f.xml", body=rss(items(1)))
    state = get_feed(store, feed.feed_id)
    assert poll(store, feed.feed_id, state.retry_at).new_articles == 1
    state = get_feed(store, feed.feed_id)
    assert (state.status, state.failures, state.last_error) == ("active", 0, None)


def test_failed_feeds_do_not_retry_in_lockstep(store, server):
    retry = []
    for n in range(6):
        feed = add(store, server.add(f"/down{n}.xml", status=503))
        feed_now = get_feed(store, feed.feed_id)
        poll_feed(store, feed_now, PollOptions(timeout=2.0), now=T0)
        retry.append(get_feed(store, feed.feed_id).retry_at)
    assert len(set(retry)) > 1


def test_a_timeout_is_a_clear_failure(store, server):
    feed = add(store, server.add("/slow.xml", body=rss(items(1)), delay_s=3))
    report = poll(store, feed.feed_id, timeout=0.5)
    assert report.outcome == "failed" and "timed out" in (report.error or "")


def test_a_slow_drip_is_cut_off_by_the_total_deadline(store, server):
    feed = add(store, server.add("/drip.xml", body=rss(items(1, 2, 3)), drip_s=0.05))
    report = poll(store, feed.feed_id, timeout=0.6)
    assert report.outcome == "failed"
    assert "still arriving" in (report.error or "") or "timed out" in (report.error or "")


def test_a_redirect_loop_is_a_clear_failure(store, server):
    server.add("/a", status=302, location="/b")
    server.add("/b", status=302, location="/a")
    feed = add(store, server.url("/a"))
    report = poll(store, feed.feed_id)
    assert report.outcome == "failed" and "redirects" in (report.error or "")


def test_an_oversize_body_is_refused(store, server):
    feed = add(store, server.add("/big.xml", endless=True))
    report = poll(store, feed.feed_id, max_bytes=200_000)
    assert report.outcome == "failed" and "larger than 200,000 bytes" in (report.error or "")


def test_retry_after_on_429_is_honoured(store, server):
    feed = add(store, server.add("/busy.xml", status=429, headers={"Retry-After": "120"}))
    report = poll(store, feed.feed_id)
    assert report.outcome == "failed" and "Retry-After 120" in (report.error or "")
    assert get_feed(store, feed.feed_id).retry_at == T0 + timedelta(seconds=120)
    assert poll(store, feed.feed_id, T0 + timedelta(seconds=60)).outcome == "waiting"
    assert len(server.requests_to("/busy.xml")) == 1


def test_410_marks_the_feed_gone_and_stops_polling_it(store, server):
    feed = add(store, server.add("/gone.xml", status=410))
    assert poll(store, feed.feed_id).outcome == "gone"
    state = get_feed(store, feed.feed_id)
    assert state.status == "gone" and not state.pollable
    assert poll(store, feed.feed_id, T0 + timedelta(days=30)).outcome == "skipped"
    assert len(server.requests_to("/gone.xml")) == 1


@pytest.mark.parametrize("status", [301, 308])
def test_a_permanent_redirect_updates_the_stored_url(store, server, status):
    server.add("/old.xml", status=status, location="/new.xml")
    new = server.add("/new.xml", body=rss(items(1)), etag='"n1"')
    feed = add(store, server.url("/old.xml"))
    assert poll(store, feed.feed_id).new_articles == 1
    assert get_feed(store, feed.feed_id).url == new
    assert feed_events(store, "feed.polled")[-1]["moved_from"] == server.url("/old.xml")
    poll(store, feed.feed_id)
    assert len(server.requests_to("/old.xml")) == 1  # the second poll went straight to the new URL


def test_a_temporary_redirect_keeps_the_stored_url(store, server):
    server.add("/here.xml", status=302, location="/there.xml")
    server.add("/there.xml", body=rss(items(1)))
    feed = add(store, server.url("/here.xml"))
    poll(store, feed.feed_id)
    assert get_feed(store, feed.feed_id).url == server.url("/here.xml")


def test_requests_identify_the_tracker_and_accept_compression(store, server):
    feed = add(store, server.add("/gz.xml", body=rss(items(1, 2)), gzip=True))
    assert poll(store, feed.feed_id).new_articles == 2
    headers = server.requests_to("/gz.xml")[0].headers
    assert headers["user-agent"] == USER_AGENT
    assert "gzip" in headers["accept-encoding"]


def test_entries_are_deduplicated_across_feeds_by_guid_then_link_then_text(store, server):
    base = items(1)[0]
    a = add(store, server.add("/a.xml", body=rss([base])))
    same_link = {**base, "guid": "urn:other:1"}
    same_text = {"title": base["title"], "description": base["description"]}
    b = add(store, server.add("/b.xml", body=rss([same_link, same_text, *items(2)])))
    poll(store, a.feed_id)
    report = poll(store, b.feed_id)
    assert report.new_articles == 1  # only item 2 is new
    assert len(articles(store)) == 2


def test_items_without_guid_link_or_date_get_an_identity_from_their_text(store, server):
    alike = {"title": "Talks resume", "description": "Envoys met again in Doha."}
    body = rss([alike, {"title": "Envoys leave Doha"}, {"description": "No title, only this."},
                {"title": "Talks resume", "description": "Another text under the same title."},
                dict(alike)])  # fmt: skip
    feed = add(store, server.add("/noid.xml", body=body))
    assert poll(store, feed.feed_id).new_articles == 4  # item 5 repeats item 1 exactly
    server.add("/noid.xml", body=body, etag='"again"')
    assert poll(store, feed.feed_id).new_articles == 0


def test_repeated_atom_ids_keep_the_newest_revision(store, server):
    body = atom([("urn:t:1", "Draft text, revision A", "2025-01-06"),
                 ("urn:t:2", "Mediators meet", "2025-01-07"),
                 ("urn:t:1", "Draft text, revision B", "2025-01-08"),
                 ("urn:t:1", "Draft text, revision A", "2025-01-06"),
                 ("urn:t:3", "Round ends", "2025-01-09")])  # fmt: skip
    feed = add(store, server.add("/dup.xml", body=body, content_type="application/atom+xml"))
    report = poll(store, feed.feed_id)
    assert report.new_articles == 3 and "repeat an id" in (report.warning or "")
    titles = {str(a["title"]) for a in articles(store)}
    assert any("revision B" in t for t in titles) and not any("revision A" in t for t in titles)
    assert poll(store, feed.feed_id).new_articles == 0


def test_an_external_entity_is_never_read(store, server):
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY leak SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><title>t</title><item><title>Leak: &leak;</title>'
        b"<guid>urn:xxe</guid><description>&leak;</description></item></channel></rss>"
    )
    feed = add(store, server.add("/xxe.xml", body=body))
    report = poll(store, feed.feed_id)
    assert report.outcome == "failed" and "external entity" in (report.error or "")
    everything = " ".join(str(e.payload) for e in store.read_all())
    assert "root:" not in everything and articles(store) == []


PAGE = """<!doctype html><html><head><title>Talks resume in Cairo</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Talks resume in Cairo</h1>
<p>Negotiators from both delegations returned to Cairo on Monday for a new round of talks on a
ceasefire and the release of detainees, officials familiar with the meetings said.</p>
<p>The mediators presented a revised framework that would begin with a six-week pause in the
fighting, followed by a second phase whose terms are still being discussed by the parties.</p>
<p>One delegation said it was studying the revised framework and would respond within days,
while the other said the proposal still fell short of its demands on a permanent ceasefire.</p>
</article><footer>Copyright the test suite</footer></body></html>"""


@pytest.mark.parametrize("full_text", [True, False])
def test_full_text_fetches_the_page_of_a_summary_only_entry(store, server, full_text):
    server.add("/story", body=PAGE.encode(), content_type="text/html; charset=utf-8")
    entry = {"title": "Talks resume", "guid": "urn:ft:1", "link": server.url("/story"),
             "description": "Negotiators returned to Cairo."}  # fmt: skip
    # The server is on 127.0.0.1: the feed's links are trusted, as `--trust-links` would say.
    feed = subscribe(store, server.add("/ft.xml", body=rss([entry])), every_s=900,
                     full_text=full_text, trust_links=True, now=T0)  # fmt: skip
    assert poll(store, feed.feed_id).new_articles == 1
    [article] = articles(store)
    assert article["url"] == server.url("/story")
    assert len(server.requests_to("/story")) == (1 if full_text else 0)
    summary = with_headline("Talks resume", "Negotiators returned to Cairo.")
    summary_hash = Article(id="x", text=summary).content_sha256
    assert (article["content_sha256"] != summary_hash) == full_text


def test_full_text_keeps_the_summary_when_the_page_fails(store, server):
    entry = {"title": "Talks resume", "guid": "urn:ft:2", "link": server.url("/missing"),
             "description": "Negotiators returned to Cairo."}  # fmt: skip
    feed = subscribe(store, server.add("/ft.xml", body=rss([entry])), every_s=900,
                     full_text=True, trust_links=True, now=T0)  # fmt: skip
    report = poll(store, feed.feed_id)
    assert report.new_articles == 1 and "kept the summary" in (report.warning or "")


def test_a_feeds_negotiation_reaches_its_articles(store, server):
    # The entry names no party of any known negotiation: only the subscription says which.
    entry = {
        "title": "Bargaining resumes",
        "guid": "urn:neg:1",
        "link": "https://news.invalid/b",
        "description": "Negotiators for the transit workers met the city on Monday.",
    }
    feed = subscribe(store, server.add("/neg.xml", body=rss([entry])), every_s=900,
                     negotiation="city-transit-contract", now=T0)  # fmt: skip
    assert poll(store, feed.feed_id).new_articles == 1
    [article] = articles(store)
    assert article["negotiations"] == ["city-transit-contract"]

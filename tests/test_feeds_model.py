"""The feed rules that need no database or network: intervals, backoff, parsing, dedup keys."""

from __future__ import annotations

import random

import pytest

from tracker.errors import UsageError
from tracker.feeds.model import BACKOFF_CAP_S, backoff_s, format_every, parse_every
from tracker.feeds.parse import MAX_TEXT_CHARS, FeedUnreadable, parse_feed

RSS = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>
<item><title>Talks resume</title><guid>urn:x:1</guid><link>https://news.invalid/1</link>
<description>&lt;p&gt;Delegations met in &lt;b&gt;Cairo&lt;/b&gt;.&lt;/p&gt;</description>
<pubDate>Tue, 30 Apr 2024 09:00:00 GMT</pubDate></item></channel></rss>"""


@pytest.mark.parametrize(
    ("text", "seconds"), [("15m", 900), ("1h30m", 5400), ("90s", 90), ("2d", 172800)]
)
def test_intervals(text, seconds):
    assert parse_every(text) == seconds
    assert parse_every(format_every(seconds)) == seconds


@pytest.mark.parametrize(
    "text", ["", "15", "fast", "15x", "0s", "1h fast", "366d", "99999999999999999999999d"]
)
def test_bad_intervals_are_usage_errors(text):
    with pytest.raises(UsageError):
        parse_every(text)


def test_backoff_doubles_with_jitter_up_to_a_cap():
    rng = random.Random(1)
    for failures in range(1, 12):
        base = min(BACKOFF_CAP_S, 600 * 2 ** (failures - 1))
        delays = {backoff_s(failures, 600, rng) for _ in range(20)}
        assert all(base / 2 <= d <= base for d in delays)
        assert len(delays) > 1  # jittered
    assert backoff_s(50, 600, rng) <= BACKOFF_CAP_S
    assert 86400 / 2 <= backoff_s(3, 86400, rng) <= 86400  # a daily feed: capped at its interval


def test_an_entry_becomes_plain_text_with_its_keys_strongest_first():
    feed = parse_feed(RSS, "https://news.invalid/feed.xml")
    [entry] = feed.entries
    assert (entry.title, entry.text) == ("Talks resume", "Delegations met in Cairo.")
    assert str(entry.published) == "2024-04-30"
    assert [k.split(":")[0] for k in entry.keys] == ["guid", "link", "sha256"]
    assert feed.warning is None


def test_a_malformed_but_readable_feed_is_kept_with_a_warning():
    broken = RSS.replace(b"</channel></rss>", b"<junk></channel></rss>")
    feed = parse_feed(broken, "https://news.invalid/feed.xml")
    assert len(feed.entries) == 1 and "malformed feed read anyway" in (feed.warning or "")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty response"),
        (b"   \n", "empty response"),
        (b"<!doctype html><html><body><p>Sign in</p></body></html>", "HTML page"),
        (b'{"not": "a feed"}', "not an RSS or Atom feed"),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
            b"<rss><channel><title>&x;</title></channel></rss>",
            "external entity",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aa"><!ENTITY b "&a;&a;">]>'
            b"<rss><channel><title>&b;</title></channel></rss>",
            "entity expansion",
        ),
    ],
)
def test_unreadable_feeds_say_why(body, reason):
    with pytest.raises(FeedUnreadable, match=reason):
        parse_feed(body, "https://news.invalid/feed.xml")


def test_invalid_utf8_is_replaced_and_located():
    bad = RSS.replace(b"Talks resume", b"Talks \xff resume")
    feed = parse_feed(bad, "https://news.invalid/feed.xml")
    assert feed.entries[0].title == "Talks \ufffd resume"
    assert "line 2" in (feed.warning or "")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_references_to_no_character_are_replaced_wherever_they_are(encoding):
    """Also inside CDATA (the HTML of a summary, where feedparser's sanitizer read the
    reference) and in a UTF-16 document; a valid reference is kept."""
    text = (
        RSS.decode()
        .replace("utf-8", encoding)
        .replace("Talks resume", "Talks &#xD800; resume &#x263A;")
        .replace("Delegations met", "<![CDATA[<p>Delegations &#xDFFF; met</p>]]>")
    )
    feed = parse_feed(text.encode(encoding), "https://news.invalid/feed.xml")
    [entry] = feed.entries
    assert entry.title == "Talks \ufffd resume \u263a"
    assert "Delegations \ufffd met" in entry.text
    assert "2 character reference(s) to no character replaced" in (feed.warning or "")


def test_overlong_text_is_cut_and_said():
    long = RSS.replace(b"Delegations met", b"word " * (MAX_TEXT_CHARS // 4))
    feed = parse_feed(long, "https://news.invalid/feed.xml")
    assert len(feed.entries[0].text) == MAX_TEXT_CHARS
    assert "cut to" in (feed.warning or "")

"""RSS/Atom feeds: subscriptions as events, polling with conditional GET and backoff, parsing
with feedparser, dedup across polls and feeds. The scheduler (tracker/scheduler.py) runs it."""

from tracker.feeds.model import Feed, parse_every
from tracker.feeds.parse import FeedUnreadable, parse_feed
from tracker.feeds.poll import PollOptions, PollReport, poll_feed, poll_many
from tracker.feeds.service import remove, resolve_source, subscribe
from tracker.feeds.state import catch_up, feeds, find_feed

__all__ = [
    "Feed",
    "FeedUnreadable",
    "PollOptions",
    "PollReport",
    "catch_up",
    "feeds",
    "find_feed",
    "parse_every",
    "parse_feed",
    "poll_feed",
    "poll_many",
    "remove",
    "resolve_source",
    "subscribe",
]

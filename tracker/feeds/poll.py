"""One poll of one feed, and a bounded-concurrency poll of many.

Nothing is lost or doubled across crashes, restarts and rival pollers because:
- each entry becomes an Article whose id comes from its strongest dedup key, and
  ingest_article is idempotent per article id (an expected-version append);
- the feed's validators (ETag, Last-Modified) and its entries' keys are recorded together in
  FeedPolled only after the entries are in, so a poll cut short is simply done again.
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from tracker.article import Article
from tracker.errors import ConflictError, TrackerError
from tracker.events import FeedEntry, FeedFailed, FeedPolled
from tracker.feeds.fetch import fetch_feed
from tracker.feeds.model import Feed, backoff_s
from tracker.feeds.parse import Entry, FeedUnreadable, ParsedFeed, parse_feed
from tracker.feeds.service import feed_stream, record
from tracker.feeds.state import catch_up, get_feed, seen_keys, touch_checked
from tracker.http import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT_S,
    Fetched,
    FetchError,
    check_timeout,
    fetch,
    new_client,
    retry_after,
)
from tracker.projections import catch_up as fold_projections
from tracker.services import ingest_article
from tracker.sources import article_from_html
from tracker.store import EventStore, open_recorder

log = logging.getLogger("tracker.feeds")

MAX_RETRY_AFTER_S = 7 * 86400
DEFAULT_JOBS = 8


@dataclass
class PollReport:
    url: str
    outcome: str  # new | nothing new | unchanged (304) | failed | gone | waiting | skipped
    new_articles: int = 0
    new_events: int = 0
    found: int = 0
    error: str | None = None
    warning: str | None = None

    def line(self) -> str:
        if self.outcome in ("failed", "gone", "waiting", "skipped"):
            return f"{self.url}: {self.outcome}: {self.error}"
        text = (
            f"{self.url}: {self.outcome}, {self.new_articles} new articles, "
            f"{self.new_events} new events"
        )
        return text + (f" (warning: {self.warning})" if self.warning else "")


class Claims:
    """Dedup keys taken by this process's pollers, so two feeds polled at once that carry the
    same entry (same guid, link or text) ingest it once. Rival processes are covered by the
    idempotent article ids."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._taken: set[str] = set()

    def claim(self, keys: Sequence[str]) -> bool:
        with self._lock:
            if any(key in self._taken for key in keys):
                return False
            self._taken.update(keys)
            return True


@dataclass
class PollOptions:
    timeout: float = DEFAULT_TIMEOUT_S
    max_bytes: int = DEFAULT_MAX_BYTES
    client: httpx.Client | None = None
    claims: Claims = field(default_factory=Claims)
    rng: random.Random | None = None
    force: bool = False  # poll even while backing off
    # Fetch the pages that feed entries link to even on loopback or private addresses. Off by
    # default: a feed's links are untrusted. A feed subscribed with --trust-links sets it too.
    private_links: bool = False

    def __post_init__(self) -> None:
        check_timeout(self.timeout)


def article_id(key: str) -> str:
    return "feed_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Retrieved:
    """What fetching and parsing a feed gave, before anything touches the store."""

    fetched: Fetched | None = None
    parsed: ParsedFeed | None = None
    error: str | None = None
    status: int | None = None
    wait_s: float | None = None  # Retry-After
    gone: bool = False


def poll_feed(
    store: EventStore,
    feed: Feed,
    options: PollOptions | None = None,
    now: datetime | None = None,
) -> PollReport:
    """Fetch, parse and ingest one feed; record what happened. Never raises for a bad feed."""
    opts = options or PollOptions()
    now = now or datetime.now(UTC)
    skipped = skip(feed, opts, now)
    if skipped is not None:
        return skipped
    return settle_contained(store, feed, retrieve(feed, opts, now), opts, now)


def settle_contained(
    store: EventStore,
    feed: Feed,
    got: Retrieved,
    opts: PollOptions,
    now: datetime,
    fold: bool = True,
) -> PollReport:
    """settle(), with any failure recorded on this feed (with its backoff) instead of raised,
    so the feeds polled after it are polled as usual. A store that cannot record is raised."""
    try:
        return settle(store, feed, got, opts, now, fold=fold)
    except Exception as exc:
        log.warning("%s: poll failed: %s: %s", feed.url, type(exc).__name__, exc)
        reason = str(exc) if isinstance(exc, TrackerError) else f"{type(exc).__name__}: {exc}"
        return _failed(store, feed, Retrieved(error=reason, status=got.status), opts, now)


def settle_reported(
    store: EventStore,
    feed: Feed,
    got: Retrieved,
    opts: PollOptions,
    reports: list[PollReport],
    on_done: Callable[[PollReport], None] | None,
) -> None:
    """settle_contained() now, unfolded (the caller folds once at the end), its report kept
    and handed to `on_done`."""
    report = settle_contained(store, feed, got, opts, datetime.now(UTC), fold=False)
    reports.append(report)
    if on_done is not None:
        on_done(report)


def skip(feed: Feed, opts: PollOptions, now: datetime) -> PollReport | None:
    if not feed.pollable:
        return PollReport(feed.url, "skipped", error=f"feed is {feed.status}")
    if feed.waiting(now) and not opts.force:
        assert feed.retry_at is not None
        return PollReport(feed.url, "waiting", error=f"backing off until {feed.retry_at:%H:%M:%S}")
    return None


def retrieve(feed: Feed, opts: PollOptions, now: datetime, parse: bool = True) -> Retrieved:
    """The network and parsing half of a poll: safe to run in many threads at once. With
    parse=False a new document is fetched only: `parse_fetched` parses it (in a worker process)."""
    try:
        fetched = fetch_feed(
            feed, client=opts.client, timeout=opts.timeout, max_bytes=opts.max_bytes
        )
    except FetchError as exc:
        return Retrieved(error=str(exc))
    except Exception as exc:  # one hostile feed must not stop the others: record, go on
        return Retrieved(error=f"{type(exc).__name__}: {exc}")
    status = fetched.status
    if status == 304:
        return Retrieved(fetched, status=status)
    if status == 410:
        return Retrieved(error="410 Gone: polling stopped", status=status, gone=True)
    if status in (429, 503):
        wait = retry_after(fetched.headers, now)
        hint = f"; Retry-After {wait:g} s honoured" if wait is not None else ""
        return Retrieved(error=f"HTTP {status}{hint}", status=status, wait_s=wait)
    if not 200 <= status < 300:
        phrase = httpx.codes.get_reason_phrase(status)
        return Retrieved(error=f"HTTP {status} {phrase}".strip(), status=status)
    return parse_fetched(fetched) if parse else Retrieved(fetched, status=status)


def new_document(got: Retrieved) -> bool:
    """A new document fetched and not parsed yet (retrieve with parse=False)."""
    fetched = got.fetched is not None and got.error is None
    return fetched and got.parsed is None and got.status != 304


def parse_fetched(fetched: Fetched) -> Retrieved:
    """A new document (2xx), parsed; a feed that cannot be read is its error."""
    status = fetched.status
    try:
        parsed = parse_feed(fetched.content, fetched.url, fetched.headers)
    except FeedUnreadable as exc:
        return Retrieved(error=str(exc), status=status)
    except Exception as exc:
        return Retrieved(error=f"unreadable feed ({type(exc).__name__}: {exc})", status=status)
    return Retrieved(fetched, parsed, status=status)


def settle(
    store: EventStore,
    feed: Feed,
    got: Retrieved,
    opts: PollOptions,
    now: datetime,
    fold: bool = True,
) -> PollReport:
    """The store half of a poll: ingest the new entries, record the outcome. One writer at a
    time does best: SQLite serialises writers anyway, and waiting on its lock is slow. With
    `fold`, the projections fold the new entries before it returns."""
    version = store.stream_version(feed_stream(feed.feed_id))
    if got.error is not None or got.fetched is None:
        return _failed(store, feed, got, opts, now)
    if got.parsed is None:  # 304
        if feed.status == "failing" or feed.last_poll_at is None:
            _record_polled(
                store, feed, version, now, url=feed.url, status=304, etag=feed.etag,
                last_modified=feed.last_modified, found=0, entries=[],
            )  # fmt: skip
        else:
            touch_checked(store, feed.feed_id, now)
        return PollReport(feed.url, "unchanged")
    fetched, parsed = got.fetched, got.parsed
    warnings = list(parsed.warnings)
    source = parsed.title or urlsplit(feed.url).netloc or Path(feed.url).name
    new_entries: list[FeedEntry] = []
    new_events = 0
    new_articles = 0
    # Oldest first, so the log follows the feed's own chronology.
    fresh = _unseen(store, list(reversed(parsed.entries)), opts.claims)
    for entry in fresh:
        article = _article(entry, feed, source, opts, warnings)
        if article is None:
            continue
        result = ingest_article(store, article, project=False)
        # The same text already stored under another id (a file, another feed) is that article.
        stored_as = result.same_as or article.id
        new_entries.append(FeedEntry(article_id=stored_as, keys=entry.keys))
        if not result.already:
            new_articles += 1
            new_events += result.events
    if new_articles and fold:
        fold_projections(store)  # once per feed, not once per entry
    moved_to = fetched.moved_to if fetched.moved_to and fetched.moved_to != feed.url else None
    etag = fetched.headers.get("etag")
    modified = fetched.headers.get("last-modified")
    warning = "; ".join(dict.fromkeys(warnings)) or None
    changed = (
        new_entries
        or moved_to
        or etag != feed.etag
        or modified != feed.last_modified
        or feed.status == "failing"
        or feed.last_poll_at is None
        or warning != feed.last_warning
    )
    if changed:
        _record_polled(
            store, feed, version, now, url=moved_to or feed.url,
            moved_from=feed.url if moved_to else None, status=got.status, etag=etag,
            last_modified=modified, found=parsed.found, entries=new_entries, warning=warning,
        )  # fmt: skip
    else:
        touch_checked(store, feed.feed_id, now)
    if moved_to:
        log.info("%s moved permanently to %s; the feed now uses the new URL", feed.url, moved_to)
    return PollReport(
        moved_to or feed.url,
        "new" if new_articles else "nothing new",
        new_articles,
        new_events,
        found=parsed.found,
        warning=warning,
    )


def _unseen(store: EventStore, entries: list[Entry], claims: Claims) -> list[Entry]:
    seen = seen_keys(store, (key for entry in entries for key in entry.keys))
    fresh = []
    for entry in entries:
        if any(key in seen for key in entry.keys):
            continue
        if not claims.claim(entry.keys):
            continue
        seen.update(entry.keys)  # an exact repeat later in the same document
        fresh.append(entry)
    return fresh


def with_headline(title: str, text: str) -> str:
    """Headline, blank line, body: the shape of an article file, so the same article read
    from a file and from a feed has the same text (and is stored once)."""
    if not title or text.lstrip().startswith(title):
        return text
    return f"{title}\n\n{text}"


def _article(
    entry: Entry, feed: Feed, source: str, opts: PollOptions, warnings: list[str]
) -> Article | None:
    try:
        article = Article(
            id=article_id(entry.keys[0]),
            url=entry.link,
            title=entry.title,
            published=entry.published,
            source=source,
            negotiation=feed.negotiation,
            text=with_headline(entry.title, entry.text),
        )
    except ValidationError as exc:  # keep what can be kept: the other entries go in
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        warnings.append(f"an entry was skipped ({where}: {first['msg']})")
        return None
    if feed.full_text and entry.summary_only and entry.link:
        page = _full_text(article, opts, warnings, trusted=feed.trust_links)
        article = page.model_copy(update={"negotiation": feed.negotiation}) if page else article
    if not article.text.strip():
        warnings.append("an entry with no title and no text was skipped")
        return None
    if article.cut_from is not None:
        warnings.append(f"an entry of {article.cut_from:,} characters was cut at a paragraph")
    return article


def _full_text(
    summary: Article, opts: PollOptions, warnings: list[str], *, trusted: bool
) -> Article | None:
    """The entry's page, fetched and reduced to its main text the way `tracker ingest` reads
    an HTML page (tracker.sources.article_from_html). Any failure keeps the summary. The link
    came from the feed, so it may reach only public addresses unless the feed is trusted."""
    url = summary.url or ""
    try:
        page = fetch(
            url,
            timeout=opts.timeout,
            max_bytes=opts.max_bytes,
            client=opts.client,
            public_only=not (trusted or opts.private_links),
        )
        if not 200 <= page.status < 300:
            raise FetchError(f"HTTP {page.status}")
        return article_from_html(
            page.content,
            url,  # the entry's link stays the article's URL, even if the page redirected
            article_id=summary.id,
            title=summary.title or None,
            published=summary.published,
            source=summary.source,
        )
    except Exception as exc:  # a page we cannot read must not stop the feed
        warnings.append(f"full text of {url} not used ({exc}); kept the summary")
    return None


def _record_polled(
    store: EventStore,
    feed: Feed,
    version: int,
    now: datetime,
    *,
    entries: list[FeedEntry],
    **fields: Any,
) -> None:
    """Append FeedPolled at the feed stream's version seen when the poll began. If a rival
    poller recorded a poll meanwhile, catch up and record only the entries it did not."""
    for _ in range(5):
        event = FeedPolled(feed_id=feed.feed_id, entries=tuple(entries), at=now, **fields)
        try:
            record(store, event, expected_version=version)
            return
        except ConflictError:
            catch_up(store)
            version = store.stream_version(feed_stream(feed.feed_id))
            seen = seen_keys(store, (key for entry in entries for key in entry.keys))
            entries = [e for e in entries if not any(key in seen for key in e.keys)]
    raise TrackerError(f"{feed.url}: could not record the poll; the feed's stream kept moving")


def _failed(
    store: EventStore, feed: Feed, got: Retrieved, opts: PollOptions, now: datetime
) -> PollReport:
    failures = feed.failures + 1
    if got.gone:
        retry_at = None
    elif got.wait_s is not None:
        retry_at = now + timedelta(seconds=min(got.wait_s, MAX_RETRY_AFTER_S))
    else:
        retry_at = now + timedelta(seconds=backoff_s(failures, feed.every_s, opts.rng))
    reason = got.error or "no response"
    event = FeedFailed(
        feed_id=feed.feed_id,
        url=feed.url,
        reason=reason,
        status=got.status,
        failures=failures,
        retry_at=retry_at,
        gone=got.gone,
        at=now,
    )
    record(store, event)
    return PollReport(feed.url, "gone" if got.gone else "failed", error=reason)


def poll_many(
    db: str | Path,
    feed_ids: Sequence[str],
    *,
    jobs: int = DEFAULT_JOBS,
    options: PollOptions | None = None,
    on_done: Callable[[PollReport], None] | None = None,
    unparsed: list[tuple[str, Fetched]] | None = None,
) -> list[PollReport]:
    """Poll feeds: up to `jobs` fetch and parse at once in threads (one shared HTTP client
    reuses connections), while this thread alone writes to the store, in completion order.
    Given `unparsed`, a feed that answers with a new document is neither parsed nor settled
    here: its id and document are added to the list, for worker processes (workers.py)."""
    opts = options or PollOptions()
    own_client = opts.client is None
    if own_client:
        opts = replace(opts, client=new_client(opts.timeout))
    reports: list[PollReport] = []
    now = datetime.now(UTC)
    try:
        with open_recorder(db) as store, ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            catch_up(store)
            pending = {}
            for fid in feed_ids:
                feed = get_feed(store, fid)
                if feed is None:
                    report: PollReport | None = PollReport(fid, "skipped", error="no such feed")
                else:
                    report = skip(feed, opts, now)
                if report is not None:
                    reports.append(report)
                    if on_done is not None:
                        on_done(report)
                elif feed is not None:
                    pending[pool.submit(retrieve, feed, opts, now, unparsed is None)] = fid
            for future in as_completed(pending):
                feed = get_feed(store, pending[future])  # as it is now, rivals included
                assert feed is not None
                # folded once at the end: feeds covering the same days are each late for
                # the one before, and every late batch refolds from before it
                got = future.result()
                if unparsed is not None and new_document(got):
                    assert got.fetched is not None
                    unparsed.append((feed.feed_id, got.fetched))
                    continue
                settle_reported(store, feed, got, opts, reports, on_done)
            fold_projections(store)
    finally:
        if own_client and opts.client is not None:
            opts.client.close()
    return reports

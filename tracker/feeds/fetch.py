"""Getting a feed's bytes: over HTTP with a conditional GET, or from a local file given as a
path on the command line (its modification time and size stand in for an ETag)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tracker.feeds.model import Feed
from tracker.http import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT_S,
    Fetched,
    FetchError,
    conditional_headers,
    fetch,
)

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)


def fetch_feed(
    feed: Feed,
    *,
    client: httpx.Client | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Fetched:
    if feed.is_local:
        return _read_file(feed, max_bytes)
    headers = {"Accept": ACCEPT, **conditional_headers(feed.etag, feed.last_modified)}
    return fetch(feed.url, headers=headers, timeout=timeout, max_bytes=max_bytes, client=client)


def _read_file(feed: Feed, max_bytes: int) -> Fetched:
    path = Path(feed.url)
    try:
        info = path.stat()
        validator = f'"file-{info.st_mtime_ns}-{info.st_size}"'
        if feed.etag == validator:
            return Fetched(feed.url, 304, {"etag": validator}, b"")
        if info.st_size > max_bytes:
            raise FetchError(f"{path}: file larger than {max_bytes:,} bytes; refused")
        content = path.read_bytes()
    except OSError as exc:
        raise FetchError(f"{path}: {exc.strerror or exc}") from None
    return Fetched(feed.url, 200, {"etag": validator}, content)

"""Fetching over HTTP(S) as a good citizen: timeouts, a size cap, bounded redirects, an
identifiable User-Agent, compressed responses, conditional GET (ETag, Last-Modified) and
Retry-After. Only http and https URLs are fetched."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from tracker import __version__
from tracker.errors import TrackerError

USER_AGENT = f"tracker/{__version__} (negotiation timeline tracker; +https://tracker.invalid)"
DEFAULT_TIMEOUT_S = 20.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5


class FetchError(TrackerError):
    """The URL could not be fetched: bad scheme, network failure, timeout, oversize body."""


@dataclass(frozen=True)
class Fetched:
    url: str  # final URL after redirects
    status: int
    headers: Mapping[str, str]
    content: bytes
    redirects: tuple[tuple[int, str], ...] = field(default=())  # (status, location) per hop
    # Where the permanent redirects (301, 308) at the start of the chain lead: the URL to use
    # from now on. None when the first hop is not permanent (or there was no redirect).
    moved_to: str | None = None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


PERMANENT_REDIRECTS = (301, 308)


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """Headers for a conditional GET: an unchanged resource then costs a 304 and no body."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or an HTTP date), or None."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def check_url(url: str) -> str:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(
            f"only http and https URLs are fetched, not {scheme or 'no scheme'}: {url}"
        )
    return url


def fetch(
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_bytes: int = DEFAULT_MAX_BYTES,
    client: httpx.Client | None = None,
) -> Fetched:
    """GET `url`, following at most MAX_REDIRECTS redirects, reading at most `max_bytes`.
    Any HTTP status is returned (the caller decides what 304, 404 or 429 mean); transport
    failures, too many redirects and oversize bodies raise FetchError with one line."""
    check_url(url)
    own = client is None
    session = client or new_client(timeout)
    try:
        with session.stream("GET", url, headers=dict(headers or {})) as response:
            body = bytearray()
            deadline = time.monotonic() + timeout  # a slow drip must not outlast the timeout
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if time.monotonic() > deadline:
                    raise FetchError(f"{url}: body still arriving after {timeout:g} s; gave up")
                if len(body) > max_bytes:
                    raise FetchError(f"{url}: response larger than {max_bytes:,} bytes; refused")
            hops = tuple((r.status_code, r.headers.get("location", "")) for r in response.history)
            return Fetched(
                str(response.url),
                response.status_code,
                dict(response.headers),
                bytes(body),
                hops,
                _moved_to(response),
            )
    except httpx.TooManyRedirects:
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects") from None
    except httpx.TimeoutException:
        raise FetchError(f"{url}: timed out after {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from None
    finally:
        if own:
            session.close()


def _moved_to(response: httpx.Response) -> str | None:
    targets = [str(r.url) for r in response.history[1:]] + [str(response.url)]
    moved = None
    for hop, target in zip(response.history, targets, strict=False):
        if hop.status_code not in PERMANENT_REDIRECTS:
            break
        moved = target
    return moved


def new_client(timeout: float = DEFAULT_TIMEOUT_S) -> httpx.Client:
    """A client to share across many fetches (connection reuse)."""
    return httpx.Client(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
    )

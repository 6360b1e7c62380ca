"""Fetching over HTTP(S) as a good citizen: timeouts, a size cap, bounded redirects, an
identifiable User-Agent, compressed responses, conditional GET (ETag, Last-Modified) and
Retry-After. Only http and https URLs are fetched."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from tracker import __version__
from tracker.errors import TrackerError, UsageError
from tracker.netguard import BlockedAddress, GuardedBackend, limits

USER_AGENT = f"tracker/{__version__} (negotiation timeline tracker; +https://tracker.invalid)"
DEFAULT_TIMEOUT_S = 20.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
MIN_TIMEOUT_S = 0.1
MAX_TIMEOUT_S = 600.0  # a fetch that needs more than ten minutes is not going to finish
REDIRECTS = (301, 302, 303, 307, 308)
HELD_LOCATION = "x-tracker-location"


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
    public_only: bool = False,
) -> Fetched:
    """GET `url`, following at most MAX_REDIRECTS redirects (each to http or https only),
    reading at most `max_bytes`, all of it within `timeout` seconds of wall-clock time
    (connect, headers and body, every hop). `public_only` refuses loopback, private and
    link-local addresses after DNS resolution, on every hop: for links found in a feed.
    Any HTTP status is returned (the caller decides what 304, 404 or 429 mean); everything
    else that goes wrong raises FetchError with one line."""
    check_url(url)
    check_timeout(timeout)
    # A connection pooled by a trusted fetch must not carry an untrusted one past the check.
    own = client is None or public_only
    session = new_client(timeout) if own else client
    assert session is not None
    try:
        with limits(timeout, public_only=public_only):
            return _follow(session, url, dict(headers or {}), timeout, max_bytes)
    except FetchError:
        raise
    except BlockedAddress as exc:
        raise FetchError(f"{url}: refused: {exc} (links from a feed must be public)") from None
    except httpx.TimeoutException:
        raise FetchError(
            f"{url}: timed out after {timeout:g} s (the whole exchange: connect, headers, body)"
        ) from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from None
    except Exception as exc:  # httpx raises InvalidURL and others outside HTTPError
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from None
    finally:
        if own:
            session.close()


def check_timeout(timeout: float) -> float:
    if not (math.isfinite(timeout) and MIN_TIMEOUT_S <= timeout <= MAX_TIMEOUT_S):
        raise UsageError(
            f"--timeout must be a number of seconds from {MIN_TIMEOUT_S:g} to "
            f"{MAX_TIMEOUT_S:g}, got {timeout!r}"
        )
    return timeout


def _follow(
    session: httpx.Client, url: str, headers: dict[str, str], timeout: float, max_bytes: int
) -> Fetched:
    current = url
    hops: list[tuple[int, str]] = []
    targets: list[str] = []
    for _ in range(MAX_REDIRECTS + 1):
        request = session.build_request("GET", current, headers=headers)
        response = session.send(request, stream=True, follow_redirects=False)
        try:
            location = response.headers.get(HELD_LOCATION) or response.headers.get("location")
            if response.status_code in REDIRECTS and location:
                target = urljoin(current, location.strip())
                hops.append((response.status_code, location))
                scheme = urlsplit(target).scheme.lower()
                if scheme not in ("http", "https"):
                    raise FetchError(f"{url}: redirect to a {scheme or 'schemeless'} URL refused")
                targets.append(target)
                current = target
                continue
            body = _read(response, url, timeout, max_bytes)
            return Fetched(
                current,
                response.status_code,
                dict(response.headers),
                body,
                tuple(hops),
                _moved_to(hops, targets),
            )
        finally:
            response.close()
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")


def _hold_location(response: httpx.Response) -> None:
    """httpx parses a redirect's Location even when not following it, and raises on one such
    as `javascript:`; this module follows redirects itself, so it moves the header aside."""
    location = response.headers.pop("location", None)
    if location is not None:
        response.headers[HELD_LOCATION] = location


def _read(response: httpx.Response, url: str, timeout: float, max_bytes: int) -> bytes:
    body = bytearray()
    for chunk in response.iter_bytes():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise FetchError(f"{url}: response larger than {max_bytes:,} bytes; refused")
    return bytes(body)


def _moved_to(hops: list[tuple[int, str]], targets: list[str]) -> str | None:
    moved = None
    for (status, _), target in zip(hops, targets, strict=False):
        if status not in PERMANENT_REDIRECTS:
            break
        moved = target
    return moved


def new_client(timeout: float = DEFAULT_TIMEOUT_S) -> httpx.Client:
    """A client to share across many fetches (connection reuse). Its connections go through
    GuardedBackend, which enforces fetch()'s overall deadline and address rule."""
    check_timeout(timeout)
    transport = httpx.HTTPTransport()
    transport._pool._network_backend = GuardedBackend()  # httpx has no public hook for this
    return httpx.Client(
        transport=transport,
        event_hooks={"response": [_hold_location]},
        follow_redirects=False,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
    )

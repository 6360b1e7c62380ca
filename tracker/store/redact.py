"""A database URL without its password, for messages and logs (psycopg-free, so the
scheduler and the CLI can use it without loading the driver)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit


def redact(url: str) -> str:
    """The URL with any password, in the authority or as ?password=..., masked."""
    if "://" not in url:
        return url  # a file path: nothing to hide
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        netloc = f"{parts.username or ''}:***@{netloc.rpartition('@')[2]}"
    query = [(k, "***" if k.lower() == "password" else v) for k, v in parse_qsl(parts.query)]
    # Not urlunsplit: it drops the // of a URL with no host (postgresql:///db?host=/socket),
    # and the message would name another URL than the one given.
    shown = f"{parts.scheme}://{netloc}{parts.path}"
    if query:
        shown += "?" + urlencode(query, safe="*/")
    return shown + (f"#{parts.fragment}" if parts.fragment else "")

"""A real HTTP server on 127.0.0.1 for the feed tests and bench/poll.py.

Each path serves a Route: a body with headers, conditional GET (ETag, Last-Modified -> 304),
any status (404, 410, 429 with Retry-After, 500), redirects (301, loops), a response that
never comes (timeout), a slow drip, an oversize body, gzip. Every request is recorded."""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None  # for 301/302/308
    delay_s: float = 0.0  # before anything is sent: longer than the client's timeout = timeout
    drip_s: float = 0.0  # pause between single bytes of the body: a slow drip
    drip_headers_s: float = 0.0  # pause between single bytes of the status line and headers
    endless: bool = False  # an oversize body: bytes until the client hangs up
    content_type: str = "application/rss+xml; charset=utf-8"
    raw_headers: bool = False  # send only `headers` (the corpus files set their own type)
    gzip: bool = False  # compress when the client accepts it


@dataclass
class Request:
    path: str
    headers: dict[str, str]


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body in one segment, no Nagle: else each response waits ~40 ms for
            # a delayed ACK.
            wbufsize = 64 * 1024
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                server._serve(self)

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, route: Route | None = None, **fields: Any) -> str:
        self.routes[path] = route or Route(**fields)
        return self.url(path)

    def requests_to(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def start(self) -> FeedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        with self._lock:
            self.hits[path] += 1
            self.requests.append(Request(path, {k.lower(): v for k, v in handler.headers.items()}))
        route = self.routes.get(path)
        try:
            if route is None:
                _send(handler, 404, {"Content-Type": "text/plain"}, b"not found\n")
            else:
                _respond(handler, route)
        except (BrokenPipeError, ConnectionResetError):
            pass


def _send(
    handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes
) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if body:
        handler.wfile.write(body)


def _respond(handler: BaseHTTPRequestHandler, route: Route) -> None:
    if route.delay_s:
        time.sleep(route.delay_s)
    if route.drip_headers_s:
        head = f"HTTP/1.1 {route.status} OK\r\nContent-Type: {route.content_type}\r\n"
        for byte in (head + "X-Pad: " + "x" * 4096 + "\r\n").encode():
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(route.drip_headers_s)
        return
    headers = dict(route.headers)
    if not route.raw_headers:
        headers.setdefault("Content-Type", route.content_type)
    if route.etag:
        headers["ETag"] = route.etag
    if route.last_modified:
        headers["Last-Modified"] = route.last_modified
    if route.location:
        headers["Location"] = route.location
    etag_match = route.etag and handler.headers.get("If-None-Match") == route.etag
    since_match = (
        route.last_modified
        and not route.etag
        and handler.headers.get("If-Modified-Since") == route.last_modified
    )
    if route.status == 200 and (etag_match or since_match):
        _send(handler, 304, {k: v for k, v in headers.items() if k != "Content-Type"}, b"")
        return
    if route.endless:
        handler.send_response(route.status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(1 << 40))
        handler.end_headers()
        chunk = b"<!-- padding -->" * 4096
        while True:
            handler.wfile.write(chunk)
    body = route.body
    if route.gzip and "gzip" in handler.headers.get("Accept-Encoding", ""):
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    if route.drip_s:
        handler.send_response(route.status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for i in range(len(body)):
            handler.wfile.write(body[i : i + 1])
            handler.wfile.flush()
            time.sleep(route.drip_s)
        return
    _send(handler, route.status, headers, body)


def rss(items: list[dict[str, str]], title: str = "Test feed") -> bytes:
    """A small RSS 2.0 document; each item may have title, guid, link, description, pubDate."""
    from html import escape

    parts = [f"<title>{escape(title)}</title>"]
    for item in items:
        fields = "".join(
            f"<{tag}>{escape(value)}</{tag}>" for tag, value in item.items() if value is not None
        )
        parts.append(f"<item>{fields}</item>")
    channel = "".join(parts)
    head = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0">'
    return f"{head}<channel>{channel}</channel></rss>".encode()


def atom(entries: list[tuple[str, str, str]], title: str = "Test feed") -> bytes:
    """A small Atom document from (id, title, updated day) triples; ids may repeat."""
    from html import escape

    parts = [f"<title>{escape(title)}</title><id>urn:feed</id>"]
    for entry_id, headline, day in entries:
        parts.append(
            f"<entry><id>{escape(entry_id)}</id><title>{escape(headline)}</title>"
            f'<updated>{day}T12:00:00Z</updated><link href="https://news.invalid/{escape(entry_id)}"/>'
            f'<content type="text">{escape(headline)}.</content></entry>'
        )
    body = "".join(parts)
    return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">{body}</feed>'.encode()

"""The dashboard's routes (Starlette): HTML pages and a JSON API mirroring `tracker status`,
`timeline` and `diff --format json`. Every handler only reads (tracker.serve.reader)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from tracker.defaults import RECENT
from tracker.documents import diff_document, status_document, timeline_document
from tracker.errors import TrackerError, UsageError
from tracker.export.build import (
    build_overview,
    build_snapshot,
    current_status,
    folded,
    known_negotiations,
)
from tracker.export.snapshot import Snapshot
from tracker.projections.history import facts_at, parse_known_at, status_at, timeline_at
from tracker.projections.timeline import group
from tracker.serve.filters import Filters, day_param
from tracker.serve.pages import CSP, error_html, index_html, negotiation_html
from tracker.serve.reader import Reader
from tracker.store.base import EventStore

HEADERS = {
    "Content-Security-Policy": f"{CSP}; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
Handler = Callable[[Request], Response]


class NotFound(TrackerError):
    pass


def create_app(db: str | Path, allowed_hosts: list[str] | None = None) -> Starlette:
    reader = Reader(db)

    def today() -> date:
        return datetime.now(UTC).date()

    def known(store: EventStore, name: str) -> None:
        names = known_negotiations(store, read_only=True)
        if name not in names:
            raise NotFound(f"no negotiation {name!r} in the store; known: {', '.join(names)}")

    def snapshot(name: str, as_of: date | None) -> Snapshot:
        def compute(store: EventStore) -> Snapshot:
            known(store, name)
            if as_of is not None and current_status(store, name, as_of, True) is None:
                raise NotFound(f"nothing was known about {name!r} by {as_of.isoformat()}")
            # every entry: the page's filters choose among the whole timeline
            return build_snapshot(store, name, as_of, limit=None, read_only=True)

        return reader.read(("snapshot", name, as_of, today()), compute)

    def index(request: Request) -> Response:
        rows = reader.read(
            ("overview", today()), lambda s: build_overview(s, today(), read_only=True)
        )
        return _html(index_html(rows, datetime.now(UTC)))

    def negotiation_page(request: Request) -> Response:
        filters = Filters.parse(request.query_params)
        shown = snapshot(request.path_params["negotiation"], filters.as_of)
        return _html(negotiation_html(shown, filters))

    def api_index(request: Request) -> Response:
        rows = reader.read(
            ("overview", today()), lambda s: build_overview(s, today(), read_only=True)
        )
        return _json([row.model_dump(mode="json") for row in rows])

    def api_status(request: Request) -> Response:
        name = request.path_params["negotiation"]
        as_of = _day(request, "as_of")
        known_at = parse_known_at(request.query_params.get("known_at") or None)

        def compute(store: EventStore) -> dict[str, Any]:
            known(store, name)
            if known_at is None:
                shown = current_status(store, name, as_of, read_only=True)
            else:
                shown = status_at(store, name, as_of, known_at)
            if shown is None:
                raise NotFound(f"nothing was known about {name!r} then")
            return status_document(shown, as_of or today(), as_of, known_at)

        return _json(reader.read(("status", name, as_of, known_at, today()), compute))

    def api_timeline(request: Request) -> Response:
        name = request.path_params["negotiation"]
        since, until = _day(request, "since"), _day(request, "until")
        known_at = parse_known_at(request.query_params.get("known_at") or None)
        limit = _limit(request)  # as `tracker timeline`: the last RECENT, limit=N or all=1

        def compute(store: EventStore) -> list[dict[str, Any]]:
            known(store, name)
            if known_at is not None or folded(store):
                return timeline_document(timeline_at(store, name, since, until, known_at, limit))
            entries = [
                e
                for e in group(name, facts_at(store, name, None, None))
                if (since is None or (e.date and e.date >= since))
                and (until is None or (e.date and e.date <= until))
            ]
            return timeline_document(entries if limit is None else entries[-limit:])

        return _json(reader.read(("timeline", name, since, until, known_at, limit), compute))

    def api_diff(request: Request) -> Response:
        name = request.path_params["negotiation"]
        since = _day(request, "since")
        if since is None:
            raise UsageError("since=YYYY-MM-DD is required, e.g. ?since=2024-05-01")

        def compute(store: EventStore) -> dict[str, Any]:
            known(store, name)
            now = current_status(store, name, None, read_only=True)
            assert now is not None  # a known negotiation has a status
            before = current_status(store, name, since, read_only=True)
            return diff_document(store, name, since, before, now, today())

        return _json(reader.read(("diff", name, since, today()), compute))

    routes = [
        Route("/", _guard(index, api=False)),
        Route("/n/{negotiation}", _guard(negotiation_page, api=False)),
        Route("/api/negotiations", _guard(api_index, api=True)),
        Route("/api/negotiations/{negotiation}/status", _guard(api_status, api=True)),
        Route("/api/negotiations/{negotiation}/timeline", _guard(api_timeline, api=True)),
        Route("/api/negotiations/{negotiation}/diff", _guard(api_diff, api=True)),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or ["*"])]
    reader.check()
    return Starlette(routes=routes, middleware=middleware)


def _guard(handler: Handler, api: bool) -> Handler:
    """Failures become one-line answers (400, 404, 500), never a traceback in the page or log."""

    def guarded(request: Request) -> Response:
        try:
            return handler(request)
        except TrackerError as exc:
            code = 404 if isinstance(exc, NotFound) else 400 if isinstance(exc, UsageError) else 503
            message = str(exc)
        except Exception as exc:  # a bug: one line on stderr, a plain 500 to the reader
            code, message = 500, f"unexpected {type(exc).__name__}: {exc}"
            print(f"error: {request.url.path}: {message}", file=sys.stderr, flush=True)
        if api:
            return _json({"error": message}, code)
        return _html(error_html(message), code)

    return guarded


def _day(request: Request, name: str) -> date | None:
    return day_param(request.query_params, name)


def _limit(request: Request) -> int | None:
    """The timeline's last `limit` entries (RECENT by default); None with all=1."""
    query = request.query_params
    if query.get("all", "").strip().lower() in ("1", "true", "yes"):
        return None
    value = query.get("limit", "").strip()
    if not value:
        return RECENT
    if not value.isdecimal() or not value.isascii() or int(value) < 1:
        raise UsageError(
            f"limit must be a whole number of at least 1, got {value!r}; all=1 gives every entry"
        )
    return int(value)


def _html(text: str, code: int = 200) -> Response:
    return HTMLResponse(text, code, headers=HEADERS)


def _json(body: Any, code: int = 200) -> Response:
    return JSONResponse(body, code, headers=HEADERS)

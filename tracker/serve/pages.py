"""The dashboard's HTML: the export's page parts (tracker.export.html_page) plus a navigation
bar and a form of filters and an as-of day (GET parameters; no script anywhere)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from urllib.parse import quote

from tracker.export.html_page import (
    Citer,
    events_section,
    header,
    page,
    sources_section,
    status_section,
    title,
    visual_section,
)
from tracker.export.index_page import render_index
from tracker.export.overview import Overview
from tracker.export.safe_html import Html, tag, void
from tracker.export.snapshot import Snapshot
from tracker.export.wording import MODALITY_NOTE, label
from tracker.serve.filters import Filters

# Forms submit to the dashboard itself; nothing else may load or run. (The HTTP header adds
# frame-ancestors, which a <meta> policy cannot carry.)
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
    "base-uri 'none'"
)

FORM_CSS = Html(
    """
nav.top{font-size:.9rem;margin:.2rem 0 .4rem;display:flex;flex-wrap:wrap;gap:.2rem 1rem}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem .8rem;align-items:flex-end;
background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.6rem .8rem;
margin:.6rem 0}
form.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted);
min-width:8.5rem;max-width:13rem;flex:1 1 8.5rem}
form.filters input,form.filters select{font:inherit;font-size:.95rem;color:var(--ink);
padding:.25rem .3rem;border:1px solid var(--line);border-radius:.3rem;background:#fff}
form.filters button{font:inherit;font-weight:600;padding:.35rem .9rem;border-radius:.3rem;
border:1px solid var(--ink);background:var(--ink);color:#fff}
.shown{font-size:.9rem;color:var(--muted)}
@media print{form.filters,nav.top{display:none}}
"""
)


def page_path(negotiation: str) -> str:
    return f"/n/{quote(negotiation, safe='')}"


def api_path(negotiation: str, what: str) -> str:
    return f"/api/negotiations/{quote(negotiation, safe='')}/{what}"


def index_html(rows: Sequence[Overview], now: datetime) -> str:
    nav = tag("nav", tag("a", "JSON", href="/api/negotiations"), class_="top")
    return render_index(rows, now, page_path, CSP, nav)


def negotiation_html(snapshot: Snapshot, filters: Filters) -> str:
    """A negotiation's page: status and visual timeline as of the chosen day, the events that
    pass the filters, with their evidence and sources."""
    name = snapshot.negotiation
    nav = tag(
        "nav",
        tag("a", "← all negotiations", href="/"),
        tag("a", "status JSON", href=api_path(name, "status")),
        tag("a", "timeline JSON", href=api_path(name, "timeline")),
        class_="top",
    )
    shown = filters.keep(snapshot.timeline)
    cite = Citer(snapshot)
    count = (
        f"{len(shown)} of {len(snapshot.timeline)} events shown"
        if filters.narrows
        else f"{len(shown)} events"
    )
    parts = [
        header(snapshot, nav),
        _form(snapshot, filters),
        tag("p", count, class_="shown", id="shown"),
        visual_section(snapshot, shown),
        status_section(snapshot, cite),
        events_section(shown, cite),
        sources_section(snapshot),
    ]
    return page(title(snapshot), parts, CSP, FORM_CSS)


def error_html(message: str) -> str:
    nav = tag("nav", tag("a", "← all negotiations", href="/"), class_="top")
    body = [tag("header", nav, tag("h1", "Not shown")), tag("p", message, id="error")]
    return page("tracker — error", body, CSP, FORM_CSS)


def _form(snapshot: Snapshot, filters: Filters) -> Html:
    entries = snapshot.timeline
    parties = sorted({e.actor for e in entries} | {e.target for e in entries if e.target})
    types = sorted({e.type for e in entries})
    return tag(
        "form",
        _date("as of", "as_of", filters.as_of),
        _select("party", "party", filters.party, [(p, p) for p in parties], "any party"),
        _select("type", "type", filters.type, [(t, label(t)) for t in types], "any type"),
        _select(
            "modality", "modality", filters.modality, list(MODALITY_NOTE.items()), "any modality"
        ),
        _date("from", "since", filters.since),
        _date("to", "until", filters.until),
        tag("button", "Show", type="submit"),
        tag("a", "clear", href=page_path(snapshot.negotiation)),
        method="get",
        action=page_path(snapshot.negotiation),
        class_="filters",
        id="filters",
    )


def _date(text: str, name: str, value: date | None) -> Html:
    shown = value.isoformat() if value else ""
    return tag("label", text, void("input", type="date", name=name, value=shown))


def _select(
    text: str, name: str, chosen: str, options: Sequence[tuple[str, str]], anything: str
) -> Html:
    items = [tag("option", anything, value="")]
    items += [tag("option", shown, value=v, selected=v == chosen) for v, shown in options]
    return tag("label", text, tag("select", items, name=name))

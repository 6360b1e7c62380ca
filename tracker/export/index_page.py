"""The index page of an export directory: every negotiation in one table (phase, last change,
open threats, next step, sources), each linking to its own page. Minimal and self-contained,
under the same Content-Security-Policy as the negotiation pages (no script, no request)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from tracker.export.html_page import CSP
from tracker.export.safe_html import Html, tag, void
from tracker.export.wording import phase_words, step_phrase, threat_phrase, when
from tracker.projections.brief import visible_steps
from tracker.projections.status import Status

CSS = Html(
    "body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1d2330}"
    "main{max-width:64rem;margin:0 auto;padding:1rem}"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;"
    "padding:.4rem .5rem;border-bottom:1px solid #d5d9e0}.meta{color:#5b6472;font-size:.9rem}"
    "@media (max-width:40rem){thead{display:none}td{display:block;border:0;padding:.1rem 0}"
    "tr{display:block;border-bottom:1px solid #d5d9e0;padding:.5rem 0}}"
)


def render_index(
    statuses: Sequence[Status], pages: dict[str, str], today: date, generated_at: datetime
) -> str:
    """`pages` maps a negotiation to the file name of its page."""
    rows = [_row(s, pages.get(s.negotiation), today) for s in statuses]
    head = tag(
        "head",
        void("meta", charset="utf-8"),
        void("meta", name="viewport", content="width=device-width, initial-scale=1"),
        void("meta", http_equiv="Content-Security-Policy", content=CSP),
        void("meta", name="referrer", content="no-referrer"),
        tag("title", "Negotiations"),
        tag("style", CSS),
    )
    table = tag(
        "table",
        tag("thead", tag("tr", [tag("th", h) for h in HEADINGS])),
        tag("tbody", rows),
        id="negotiations",
    )
    body = tag(
        "body",
        tag(
            "main",
            tag("h1", "Negotiations"),
            tag(
                "p",
                f"{len(statuses)} followed · generated {generated_at:%Y-%m-%d %H:%M} UTC",
                class_="meta",
            ),
            table if statuses else tag("p", "No negotiation yet."),
        ),
    )
    return "<!doctype html>\n" + tag("html", head, body, lang="en") + "\n"


HEADINGS = ("negotiation", "phase", "last change", "open threats", "next step", "sources")


def _row(status: Status, page: str | None, today: date) -> Html:
    name = tag("a", status.negotiation, href=page) if page else status.negotiation
    change = status.last_change
    steps = visible_steps(status, today)
    sources = status.sources
    return tag(
        "tr",
        tag("td", tag("strong", name)),
        tag("td", phase_words(status.phase)),
        tag("td", f"{change.summary} ({when(change.date)})" if change else "—"),
        tag("td", "; ".join(threat_phrase(t) for t in status.open_threats) or "none"),
        tag("td", step_phrase(steps[0]) if steps else "—"),
        tag("td", f"{sources.articles} report(s), latest {when(sources.latest)}"),
        data_negotiation=status.negotiation,
    )

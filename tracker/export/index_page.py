"""The index page: every negotiation in one table (phase, last change, open threats, next
step, sources), each linking to its own page. Used by `tracker export --out-dir` (index.html)
and by the dashboard; all text is escaped by tracker.export.safe_html."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from tracker.export.html_page import CSP, page
from tracker.export.overview import Overview, change_words, sources_words
from tracker.export.safe_html import Html, safe_url, tag
from tracker.export.wording import phase_words

INDEX_CSS = Html(
    """
table.index{width:100%;border-collapse:collapse;font-size:.95rem}
.index th,.index td{text-align:left;vertical-align:top;padding:.45rem .5rem;
border-bottom:1px solid var(--line)}
.index th{font-size:.85rem;color:var(--muted)}
.index .phase{font-size:.75rem;white-space:nowrap}
.index ul{margin:0;padding-left:1rem}
@media (max-width:40rem){.index thead{display:none}.index tr{display:block;padding:.5rem 0;
border-bottom:1px solid var(--line)}.index td{display:block;border:none;padding:.15rem 0}
.index td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:var(--muted)}}
"""
)


def render_index(
    rows: Sequence[Overview],
    generated_at: datetime,
    link: Callable[[str], str],
    csp: str = CSP,
    nav: Html = Html(""),
) -> str:
    """The index of `rows` (tracker.export.build.build_overview); `link` gives each
    negotiation's page: a file name beside it for an export (formats.file_link), a dashboard
    path when served."""
    header = tag(
        "header",
        nav,
        tag("h1", "Negotiations"),
        tag(
            "p",
            f"{len(rows)} negotiation{'s' if len(rows) != 1 else ''} · generated "
            f"{generated_at:%Y-%m-%d %H:%M} UTC",
            class_="meta",
        ),
    )
    head = tag(
        "tr",
        [tag("th", name, scope="col") for name in
         ("negotiation", "phase", "last change", "open threats", "next step", "sources")],
    )  # fmt: skip
    body = [_row(row, link) for row in rows]
    table = tag("table", tag("thead", head), tag("tbody", body), class_="index", id="negotiations")
    content = table if rows else tag("p", "The store holds no negotiation yet.")
    return page("Negotiations — tracker", [header, content], csp, INDEX_CSS)


def _row(row: Overview, link: Callable[[str], str]) -> Html:
    threats = tag("ul", [tag("li", t) for t in row.open_threats]) if row.open_threats else "none"
    href = link(row.negotiation)
    name = tag("a", row.negotiation, href=href) if _local(href) else row.negotiation
    return tag(
        "tr",
        tag("th", tag("strong", name), scope="row"),
        tag("td", tag("span", phase_words(row.phase), class_="phase"), data_label="phase"),
        tag("td", change_words(row.last_change), data_label="last change"),
        tag("td", f"{len(row.open_threats)} ", threats, data_label="open threats"),
        tag("td", row.next_steps[0] if row.next_steps else "none known", data_label="next step"),
        tag("td", sources_words(row), data_label="sources"),
        data_negotiation=row.negotiation,
    )


def _local(href: str) -> bool:
    """A relative link or a path on this site; anything with a scheme must be http(s)."""
    return ":" not in href.split("/", 1)[0] or safe_url(href) is not None

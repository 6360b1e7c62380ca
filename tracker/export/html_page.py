"""HTML: one self-contained page (no script, no network, no external font), readable on a
phone and printable. The status comes first, then a timeline by date in which an event's type
sets its colour and its modality sets its border and a written label.

All text goes through tracker.export.safe_html, which escapes by default; the page also carries
a Content-Security-Policy that forbids scripts and any request, should escaping ever fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from tracker.export.html_style import CSS, SVG_CSS
from tracker.export.safe_html import Html, join, safe_url, tag, void
from tracker.export.snapshot import Snapshot, Source, origin
from tracker.export.timeline_svg import family, legend, open_entries, render_timeline_svg
from tracker.export.wording import (
    MODALITY_NOTE,
    demand_phrase,
    expectation_phrase,
    label,
    phase_words,
    position_phrase,
    proposal_phrase,
    response_words,
    status_line,
    step_phrase,
    threat_phrase,
    when,
)
from tracker.projections.status import Agreement, Change, Line, Proposal
from tracker.projections.timeline import Entry, TimelineLine

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"


def render_html(snapshot: Snapshot) -> str:
    """The self-contained page of `tracker export --format html`."""
    cite = Citer(snapshot)
    parts = [
        header(snapshot),
        visual_section(snapshot, snapshot.timeline),
        status_section(snapshot, cite),
        events_section(snapshot.timeline, cite),
        sources_section(snapshot),
    ]
    return page(title(snapshot), parts, CSP)


def page(title_text: str, parts: Iterable[Html], csp: str, css: Html = Html("")) -> str:
    head = tag(
        "head",
        void("meta", charset="utf-8"),
        void("meta", name="viewport", content="width=device-width, initial-scale=1"),
        void("meta", http_equiv="Content-Security-Policy", content=csp),
        void("meta", name="referrer", content="no-referrer"),
        tag("title", title_text),
        tag("style", CSS, SVG_CSS, css),
    )
    body = tag("body", tag("main", list(parts)))
    return "<!doctype html>\n" + tag("html", head, body, lang="en") + "\n"


def _cut(snapshot: Snapshot) -> str:
    return f"as of {snapshot.as_of.isoformat()}" if snapshot.as_of else "latest"


def title(snapshot: Snapshot) -> str:
    return f"{snapshot.negotiation} — status {_cut(snapshot)}"


def header(snapshot: Snapshot, nav: Html = Html("")) -> Html:
    return tag(
        "header",
        nav,
        tag("h1", snapshot.negotiation),
        tag(
            "p",
            f"Status {_cut(snapshot)} · generated {snapshot.generated_at:%Y-%m-%d %H:%M} UTC · "
            f"store position {snapshot.store_position} · head {snapshot.store_head[:40]}…",
            class_="meta",
            data_head=snapshot.store_head,  # whole, for `tracker verify --expect`
        ),
    )


def status_section(snapshot: Snapshot, cite: Citer) -> Html:
    status = snapshot.status
    sections = [
        ("Open threats", "threats", [(threat_phrase(t), t.evidence) for t in status.open_threats]),
        ("Next steps", "next-steps", [(step_phrase(s), s.evidence) for s in status.next_steps]),
        ("Demands", "demands", [(demand_phrase(d), d.evidence) for d in status.demands]),
        ("Positions", "positions", [(position_phrase(p), p.evidence) for p in status.positions]),
        (
            "Expectations (predictions, not facts)",
            "expectations",
            [(expectation_phrase(e), e.evidence) for e in status.expectations],
        ),
    ]
    return tag(
        "section",
        tag("h2", "Status"),
        tag("span", phase_words(status.phase), class_="phase", id="phase"),
        tag("p", status_line(status), class_="summary", id="summary"),
        _proposals(status.proposals, cite),
        _agreement(status.agreement, cite),
        [_section(title, id_, lines, cite) for title, id_, lines in sections],
        _last_change(status.last_change),
        class_="status",
        id="status",
    )


def visual_section(snapshot: Snapshot, entries: list[Entry]) -> Html:
    """The visual timeline of `entries` (the whole timeline, or the dashboard's filtered one)."""
    if not entries:
        return Html("")
    svg = render_timeline_svg(
        entries,
        snapshot.phases,
        open_entries(entries, snapshot.status),
        str(snapshot.status.phase),
    )
    return tag(
        "section",
        tag("h2", "At a glance"),
        tag("div", svg, class_="tl-box"),
        legend(),
        id="visual",
    )


def events_section(entries: list[Entry], cite: Citer) -> Html:
    return tag(
        "section",
        tag("h2", "Timeline"),
        _legend(),
        _timeline(entries, cite) if entries else tag("p", "No events."),
        id="timeline",
    )


def sources_section(snapshot: Snapshot) -> Html:
    return tag(
        "section",
        tag("h2", "Sources"),
        tag("ul", [tag("li", _source(s)) for s in snapshot.sources], class_="plain"),
        id="sources",
    )


class Citer:
    """Evidence lines as quotes, each with a link to its article."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def __call__(self, lines: Iterable[Line | TimelineLine]) -> Html:
        return join(tag("blockquote", line.text, self._source(line)) for line in lines)

    def _source(self, line: Line | TimelineLine) -> Html:
        name, url = origin(self.snapshot.citations, line)
        dated = f" ({line.date.isoformat()})" if line.date else ""
        return tag("div", _link(url, name), dated, class_="src")


def _proposals(proposals: list[Proposal], cite: Citer) -> Html:
    if not proposals:
        return Html("")
    items = []
    for proposal in proposals:
        responses = [
            tag(
                "li",
                f"{party}: ",
                tag("span", response_words(r.response), class_=f"resp resp-{r.response}"),
                f" ({r.date.isoformat()})" if r.date else "",
                cite(r.evidence),
            )
            for party, r in proposal.responses.items()
        ]
        items.append(
            tag(
                "li",
                tag("strong", proposal_phrase(proposal)),
                tag("div", f"Terms: {'; '.join(proposal.terms)}") if proposal.terms else "",
                cite(proposal.evidence),
                tag("ul", responses, class_="plain") if responses else "",
            )
        )
    return tag(
        "div", tag("h3", "Proposals on the table"), tag("ul", items, class_="plain"), id="proposals"
    )


def _agreement(agreement: Agreement | None, cite: Citer) -> Html:
    if agreement is None:
        return Html("")
    lines = [
        tag(
            "li",
            f"Agreement between {', '.join(agreement.parties) or 'the parties'}",
            f": {'; '.join(agreement.terms)}" if agreement.terms else "",
            f" ({when(agreement.date)})",
            cite(agreement.evidence),
        ),
        [tag("li", f"Implemented: {m.actor} — {m.what} ({when(m.date)})", cite(m.evidence))
         for m in agreement.implemented],
        [tag("li", f"Breach: {m.actor} — {m.what} ({when(m.date)})", cite(m.evidence))
         for m in agreement.breaches],
    ]  # fmt: skip
    return tag("div", tag("h3", "Agreement"), tag("ul", lines, class_="plain"), id="agreement")


def _section(title: str, id_: str, lines: list[tuple[str, list[Line]]], cite: Citer) -> Html:
    if not lines:
        return Html("")
    items = [tag("li", text, cite(evidence)) for text, evidence in lines]
    return tag("div", tag("h3", title), tag("ul", items, class_="plain"), id=id_)


def _last_change(change: Change | None) -> Html:
    if change is None:
        return Html("")
    return tag(
        "p",
        f"Last change ({when(change.date)}): {change.summary} — ",
        _link(change.source_url, change.source),
        class_="muted",
        id="last-change",
    )


def _link(url: str | None, text: str) -> Html:
    href = safe_url(url)
    if href is None:
        return tag("span", text + (f" — {url}" if url else ""))
    return tag("a", text, href=href, rel="noopener noreferrer")


def _legend() -> Html:
    return tag(
        "ul",
        [tag("li", note, class_=f"event mod-{m}") for m, note in MODALITY_NOTE.items()],
        class_="legend",
        aria_label="Modality",
    )


def _timeline(entries: list[Entry], cite: Citer) -> Html:
    days = []
    for day, group in groupby(entries, key=lambda e: e.date):
        cards = [_card(entry, cite) for entry in group]
        days.append(
            tag(
                "li",
                tag("time", when(day), datetime=day.isoformat() if day else None),
                tag("ol", cards, class_="events"),
                class_="day",
            )
        )
    return tag("ol", days, class_="timeline")


def _card(entry: Entry, cite: Citer) -> Html:
    target = f" → {entry.target}" if entry.target else ""
    sources = f"{entry.sources} source" + ("s" if entry.sources != 1 else "")
    return tag(
        "li",
        tag(
            "div",
            tag("span", label(entry.type), class_="badge"),
            tag("span", f"{entry.actor}{target}", class_="what"),
            tag("span", MODALITY_NOTE.get(entry.modality, entry.modality), class_="mod"),
            tag("span", sources, class_="muted"),
            class_="head",
        ),
        cite(entry.evidence),
        class_=f"event fam-{family(entry.type)} mod-{entry.modality}",
        id=f"e-{entry.id}",
        data_type=entry.type,
        data_modality=entry.modality,
    )


def _source(source: Source) -> Html:
    title = source.title or source.article_id
    published = f" ({source.published.isoformat()})" if source.published else ""
    return join([_link(source.url, title), published, f" — {source.article_id}"])

"""HTML: one self-contained page (no script, no network, no external font), readable on a
phone and printable. The status comes first, then a timeline by date in which an event's type
sets its colour and its modality sets its border and a written label.

All text goes through tracker.export.safe_html, which escapes by default; the page also carries
a Content-Security-Policy that forbids scripts and any request, should escaping ever fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from tracker.export.safe_html import Html, join, safe_url, tag, void
from tracker.export.snapshot import Snapshot, Source, origin
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

# Event families by the first part of the type: one colour each.
FAMILIES = ("proposal", "response", "talks", "agreement", "demand", "appeal", "threat",
            "military", "support", "opposition")  # fmt: skip

CSS = Html(
    """
:root{--ink:#1d2330;--muted:#5b6472;--line:#d5d9e0;--bg:#fff;--card:#f7f8fa;
--proposal:#1f6feb;--response:#6e40c9;--talks:#0a7f73;--agreement:#1a7f37;--demand:#9a6700;
--appeal:#8250df;--threat:#cf222e;--military:#a40e26;--support:#2da44e;--opposition:#bc4c00}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
background:var(--bg);overflow-wrap:anywhere}
main{max-width:52rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem;
border-bottom:1px solid var(--line)}h3{font-size:1rem;margin:1rem 0 .4rem}
.meta,.muted{color:var(--muted);font-size:.9rem}
.status{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.8rem 1rem}
.phase{display:inline-block;font-weight:700;text-transform:uppercase;letter-spacing:.03em;
background:var(--ink);color:#fff;border-radius:.3rem;padding:.1rem .5rem;font-size:.9rem}
.summary{font-size:1.05rem;margin:.5rem 0 0}
ul.plain{padding-left:1.1rem;margin:.3rem 0}
.resp{font-weight:600}
.resp-accepted{color:var(--agreement)}.resp-rejected{color:var(--threat)}
.resp-countered{color:var(--demand)}.resp-under_review{color:var(--talks)}
.timeline{list-style:none;margin:0;padding:0;border-left:3px solid var(--line)}
.day{margin:0 0 1rem;padding-left:1rem;position:relative}
.day>time{font-weight:700;display:block;margin-bottom:.3rem}
.day::before{content:"";position:absolute;left:-.55rem;top:.35rem;width:.8rem;height:.8rem;
border-radius:50%;background:var(--ink)}
.events{list-style:none;margin:0;padding:0}
.event{background:var(--card);border:2px solid var(--fam,var(--line));border-left-width:.5rem;
border-radius:.4rem;padding:.5rem .7rem;margin:0 0 .6rem;break-inside:avoid}
.event .head{display:flex;flex-wrap:wrap;gap:.3rem .6rem;align-items:baseline}
.badge{font-size:.8rem;font-weight:700;color:#fff;background:var(--fam,var(--muted));
border-radius:.25rem;padding:0 .35rem}
.mod{font-size:.8rem;border:1px solid var(--muted);border-radius:.25rem;padding:0 .35rem}
.mod-asserted{border-style:solid}
.mod-planned{border-style:dashed;background:#fff}
.mod-predicted{border-style:dotted;background:#fff;font-style:italic}
.mod-conditional{border-style:double;border-width:4px;border-left-width:.5rem;background:#fff}
.mod-negated{opacity:.75;
background:repeating-linear-gradient(135deg,#fff 0 8px,var(--card) 8px 16px)}
.mod-negated .what{text-decoration:line-through}
blockquote{margin:.4rem 0 0;padding:.2rem .6rem;border-left:3px solid var(--line);
color:var(--ink);font-size:.95rem;white-space:pre-wrap}
.src{font-size:.85rem;color:var(--muted)}
a{color:var(--proposal)}
.legend{display:flex;flex-wrap:wrap;gap:.4rem;margin:.4rem 0 1rem;padding:0;list-style:none}
.legend .event{margin:0;padding:.1rem .5rem;font-size:.85rem}
"""
    + "".join(f".fam-{f}{{--fam:var(--{f})}}" for f in FAMILIES)
    + """
@media (max-width:30rem){body{font-size:15px}main{padding:.6rem}.status{padding:.6rem}}
@media print{
body{font-size:11pt;color:#000}main{max-width:none;padding:0}
.status,.event{background:none}.phase{color:#000;background:none;border:1px solid #000}
.badge{color:#000;background:none;border:1px solid #000}
a[href]::after{content:" (" attr(href) ")";font-size:.8em;word-break:break-all}
h2{break-after:avoid}.day{break-inside:auto}
}
"""
)


def render_html(snapshot: Snapshot) -> str:
    status = snapshot.status
    cite = Citer(snapshot)
    cut = f"as of {snapshot.as_of.isoformat()}" if snapshot.as_of else "latest"
    head = tag(
        "head",
        void("meta", charset="utf-8"),
        void("meta", name="viewport", content="width=device-width, initial-scale=1"),
        void("meta", http_equiv="Content-Security-Policy", content=CSP),
        void("meta", name="referrer", content="no-referrer"),
        tag("title", f"{snapshot.negotiation} — status {cut}"),
        tag("style", CSS),
    )
    header = tag(
        "header",
        tag("h1", snapshot.negotiation),
        tag(
            "p",
            f"Status {cut} · generated {snapshot.generated_at:%Y-%m-%d %H:%M} UTC · "
            f"store position {snapshot.store_position} · head {snapshot.store_head[:40]}…",
            class_="meta",
            data_head=snapshot.store_head,  # whole, for `tracker verify --expect`
        ),
    )
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
    status_box = tag(
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
    timeline = tag(
        "section",
        tag("h2", "Timeline"),
        _legend(),
        _timeline(snapshot.timeline, cite) if snapshot.timeline else tag("p", "No events."),
        id="timeline",
    )
    sources = tag(
        "section",
        tag("h2", "Sources"),
        tag("ul", [tag("li", _source(s)) for s in snapshot.sources], class_="plain"),
        id="sources",
    )
    body = tag("body", tag("main", header, status_box, timeline, sources))
    return "<!doctype html>\n" + tag("html", head, body, lang="en") + "\n"


class Citer:
    """Evidence lines as quotes, each with a link to its article."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def __call__(self, lines: Iterable[Line | TimelineLine]) -> Html:
        return join(tag("blockquote", line.text, self._source(line)) for line in lines)

    def _source(self, line: Line | TimelineLine) -> Html:
        name, url = origin(self.snapshot, line)
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


def _family(type_: str) -> str:
    family = type_.split(".", 1)[0]
    return family if family in FAMILIES else "other"


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
        class_=f"event fam-{_family(entry.type)} mod-{entry.modality}",
        data_type=entry.type,
        data_modality=entry.modality,
    )


def _source(source: Source) -> Html:
    title = source.title or source.article_id
    published = f" ({source.published.isoformat()})" if source.published else ""
    return join([_link(source.url, title), published, f" — {source.article_id}"])

"""Markdown, the one place it is written: the export's brief a journalist can paste (the status
in one line, a table of proposals and responses, open threats, next steps, demands, positions,
expectations, the timeline with its sources), and its status and timeline parts for
`tracker status --format md` and `tracker timeline --format md`.

Article text is escaped so that it stays text wherever the Markdown is rendered: no raw HTML,
no accidental links or emphasis, no broken table cells.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from tracker.export.overview import Overview, change_words, sources_words
from tracker.export.snapshot import Citation, Snapshot, origin
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
from tracker.projections.rules import RULES
from tracker.projections.status import Line, StatusView
from tracker.projections.timeline import Entry, TimelineLine
from tracker.textsafe import md, printable


def render_markdown(snapshot: Snapshot) -> str:
    """The export's Markdown: the status, the timeline and the sources of a snapshot."""
    cite = Cites(snapshot.citations)
    generated = (
        f"_Generated {snapshot.generated_at:%Y-%m-%d %H:%M} UTC from store position "
        f"{snapshot.store_position} (head `{snapshot.store_head}`)._"
    )
    out = [
        *_heading(snapshot.negotiation, snapshot.as_of),
        *status_lines(snapshot.status, cite, generated),
    ]
    out += ["", "## Timeline", ""]
    out += timeline_lines(snapshot.timeline, cite) or ["No events."]
    out += ["", "## Sources", ""]
    for article in snapshot.sources:
        name = md(article.title or article.article_id)
        published = f" ({article.published.isoformat()})" if article.published else ""
        link = f" <{article.url}>" if _linkable(article.url) else ""
        out.append(f"- {name}{published}{link} — {md(article.article_id)}")
    return _joined(out)


def status_markdown(
    status: StatusView,
    citations: Mapping[str, Citation],
    as_of: date | None = None,
    known_at: str | None = None,
) -> str:
    """`tracker status --format md`: the status part of the export's Markdown, as it was on
    the as-of day and as known at the record time given."""
    src = status.sources
    reports = f"{status.events} events from {src.articles} report(s)" + (
        f", latest {src.latest.isoformat()}" if src.latest else ""
    )
    known = f", as known at {md(known_at)}" if known_at else ""
    out = _heading(status.negotiation, as_of) + status_lines(
        status, Cites(citations), f"_{reports}{known}._"
    )
    return _joined(out)


def timeline_markdown(negotiation: str, entries: Sequence[Entry], heading: bool = True) -> str:
    """`tracker timeline --format md`, the entries as the export lists them; heading=False for
    the pages of a long timeline after the first."""
    out = [f"# {md(negotiation)}: timeline", ""] if heading else []
    return _joined(out + timeline_lines(entries, Cites({})))


def overview_markdown(rows: Sequence[Overview]) -> str:
    """`tracker status --all --format md`: one table row per negotiation, as the index page."""
    out = [
        "# Negotiations",
        "",
        "| negotiation | phase | last change | open threats | next step | sources |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        threats = "; ".join(row.open_threats) or "none"
        step = row.next_steps[0] if row.next_steps else "none known"
        more = f" (+{len(row.next_steps) - 1} more)" if len(row.next_steps) > 1 else ""
        cells = (
            row.negotiation,
            phase_words(row.phase),
            change_words(row.last_change),
            f"{len(row.open_threats)}: {threats}",
            step + more,
            sources_words(row),
        )
        out.append("| " + " | ".join(md(cell) for cell in cells) + " |")
    return _joined(out)


def _heading(negotiation: str, as_of: date | None) -> list[str]:
    cut = f"as of {as_of.isoformat()}" if as_of else "latest"
    return [f"# {md(negotiation)}: status {cut}", ""]


def _joined(lines: list[str]) -> str:
    return printable("\n".join(lines)) + "\n"  # and whatever did not pass through md()


def status_lines(status: StatusView, cite: Cites, note: str) -> list[str]:
    """The status in one line, `note` under it, then the proposals and the responses to them,
    the agreement, the open threats, next steps, demands, positions, expectations and the
    last change, each with the sources of its evidence."""
    out = [
        f"**Status:** {md(status_line(status))}",
        "",
        note,
        "",
        "## Proposals and responses",
        "",
    ]
    if status.proposals:
        out += ["| proposal | party | response | evidence |", "|---|---|---|---|"]
        for proposal in status.proposals:
            terms = f": {'; '.join(proposal.terms)}" if proposal.terms else ""
            first = f"| {md(proposal_phrase(proposal) + terms)} "
            if not proposal.responses:
                out.append(f"{first}| | no response | {cite.quotes(proposal.evidence)} |")
            for party, r in proposal.responses.items():
                out.append(
                    f"{first}| {md(party)} | {md(response_words(r.response))}"
                    f"{' (' + r.date.isoformat() + ')' if r.date else ''} "
                    f"| {cite.quotes(r.evidence)} |"
                )
    else:
        out.append("No proposal on the table.")
    if status.agreement is not None:
        agreement = status.agreement
        out += ["", "## Agreement", ""]
        out.append(
            f"- {md(', '.join(agreement.parties))}: {md('; '.join(agreement.terms))} "
            f"({when(agreement.date)}){cite.refs(agreement.evidence)}"
        )
        out += [
            f"- implemented: {md(m.actor)}, {md(m.what)} ({when(m.date)}){cite.refs(m.evidence)}"
            for m in agreement.implemented
        ]
        out += [
            f"- breach: {md(m.actor)}, {md(m.what)} ({when(m.date)}){cite.refs(m.evidence)}"
            for m in agreement.breaches
        ]
    lists = [
        ("Open threats", [(threat_phrase(t), t.evidence) for t in status.open_threats]),
        ("Next steps", [(step_phrase(s), s.evidence) for s in status.next_steps]),
        ("Demands", [(demand_phrase(d), d.evidence) for d in status.demands]),
        ("Positions", [(position_phrase(p), p.evidence) for p in status.positions]),
        (
            "Expectations (predictions, not facts)",
            [(expectation_phrase(e), e.evidence) for e in status.expectations],
        ),
    ]
    for title, lines in lists:
        out += ["", f"## {title}", ""]
        out += [f"- {md(text)}{cite.refs(evidence)}" for text, evidence in lines] or ["None."]
    if status.last_change is not None:
        change = status.last_change
        source = (
            f"[{md(change.source)}]({change.source_url})"
            if _linkable(change.source_url)
            else md(change.source)
        )
        out += ["", f"Last change ({when(change.date)}): {md(change.summary)} — {source}"]
    return out


def timeline_lines(entries: Sequence[Entry], cite: Cites) -> list[str]:
    out = []
    for entry in entries:
        target = f" → {md(entry.target)}" if entry.target else ""
        note = MODALITY_NOTE.get(entry.modality, entry.modality)
        plural = "s" if entry.sources != 1 else ""
        out.append(
            f"- **{when(entry.date)}** {md(label(entry.type))}: {md(entry.actor)}{target} "
            f"({md(note)}; {entry.sources} source{plural})"
        )
        out += [f"  > {md(line.text)}{cite.refs([line])}" for line in entry.evidence]
    return out


def rules_markdown() -> list[str]:
    """RULES as the Markdown table the README shows (paste it there when a row changes)."""
    rows = ["| event type | modality | effect on the status (-> phase) |", "|---|---|---|"]
    for rule in RULES:
        mods = ", ".join(sorted(rule.modalities))
        rows.append(f"| {rule.types} | {mods} | {rule.says} |")
    return rows


class Cites:
    """Source references for evidence lines, linked where the article has an http(s) URL."""

    def __init__(self, citations: Mapping[str, Citation]) -> None:
        self.citations = citations

    def ref(self, line: Line | TimelineLine) -> str:
        name, url = origin(self.citations, line)
        return f"[{md(name)}]({url})" if _linkable(url) else md(name)

    def refs(self, lines: Sequence[Line | TimelineLine]) -> str:
        return " — " + ", ".join(self.ref(line) for line in lines) if lines else ""

    def quotes(self, lines: Sequence[Line]) -> str:
        return " / ".join(f"“{md(line.text)}” ({self.ref(line)})" for line in lines)


def _linkable(url: str | None) -> bool:
    # Only plain http(s) URLs without characters that would end the link early.
    return url is not None and re.fullmatch(r"https?://[^\s<>()\[\]|]+", url) is not None

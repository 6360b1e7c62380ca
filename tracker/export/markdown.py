"""Markdown: a brief a journalist can paste. The status in one line, a table of proposals and
responses, open threats, next steps, and the timeline with its sources.

Article text is escaped so that it stays text wherever the Markdown is rendered: no raw HTML,
no accidental links or emphasis, no broken table cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tracker.export.snapshot import Snapshot, origin
from tracker.export.wording import (
    MODALITY_NOTE,
    demand_phrase,
    expectation_phrase,
    label,
    position_phrase,
    proposal_phrase,
    response_words,
    status_line,
    step_phrase,
    threat_phrase,
    when,
)
from tracker.projections.status import Line
from tracker.projections.timeline import TimelineLine
from tracker.textsafe import md, printable


def render_markdown(snapshot: Snapshot) -> str:
    status = snapshot.status
    cite = Cites(snapshot)
    cut = f"as of {snapshot.as_of.isoformat()}" if snapshot.as_of else "latest"
    out = [
        f"# {md(snapshot.negotiation)}: status {cut}",
        "",
        f"**Status:** {md(status_line(status))}",
        "",
        f"_Generated {snapshot.generated_at:%Y-%m-%d %H:%M} UTC from store position "
        f"{snapshot.store_position} (head `{snapshot.store_head}`)._",
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
    out += ["", "## Timeline", ""]
    for entry in snapshot.timeline:
        target = f" → {md(entry.target)}" if entry.target else ""
        note = MODALITY_NOTE.get(entry.modality, entry.modality)
        plural = "s" if entry.sources != 1 else ""
        out.append(
            f"- **{when(entry.date)}** {md(label(entry.type))}: {md(entry.actor)}{target} "
            f"({md(note)}; {entry.sources} source{plural})"
        )
        out += [f"  > {md(line.text)}{cite.refs([line])}" for line in entry.evidence]
    if not snapshot.timeline:
        out.append("No events.")
    out += ["", "## Sources", ""]
    for article in snapshot.sources:
        title = md(article.title or article.article_id)
        published = f" ({article.published.isoformat()})" if article.published else ""
        link = f" <{article.url}>" if _linkable(article.url) else ""
        out.append(f"- {title}{published}{link} — {md(article.article_id)}")
    return printable("\n".join(out)) + "\n"  # and whatever did not pass through md()


class Cites:
    """Source references for evidence lines, linked where the article has an http(s) URL."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def ref(self, line: Line | TimelineLine) -> str:
        name, url = origin(self.snapshot, line)
        return f"[{md(name)}]({url})" if _linkable(url) else md(name)

    def refs(self, lines: Sequence[Line | TimelineLine]) -> str:
        return " — " + ", ".join(self.ref(line) for line in lines) if lines else ""

    def quotes(self, lines: Sequence[Line]) -> str:
        return " / ".join(f"“{md(line.text)}” ({self.ref(line)})" for line in lines)


def _linkable(url: str | None) -> bool:
    # Only plain http(s) URLs without characters that would end the link early.
    return url is not None and re.fullmatch(r"https?://[^\s<>()\[\]|]+", url) is not None

"""The status in words: a brief for people at a terminal, one line per fact for `diff`, and
the JSON document scripts read. Pure functions of a Status. (Markdown: tracker.export.markdown.)"""

from __future__ import annotations

import textwrap
from datetime import date
from typing import Any

from tracker.projections.status import (
    BOOKKEEPING,
    Expectation,
    Line,
    NextStep,
    Position,
    Proposal,
    Status,
    StatusDocument,
    StatusView,
    Threat,
    passed,
)
from tracker.projections.words import BARE, VERBS, if_clause

PHASE_WORDS = {
    "no_talks": "no talks",
    "proposal_pending": "proposal pending",
    "negotiating": "negotiating",
    "agreement_reached": "agreement reached",
    "implementing": "implementing the agreement",
    "stalled": "stalled",
    "collapsed": "collapsed",
}
RESPONSE_WORDS = {
    "accepted": "accepted",
    "rejected": "rejected",
    "countered": "countered",
    "under_review": "under review",
    "responded": "responded (content not known)",
    "no_response": "no response yet",
}
POLARITY_WORDS = {"support": "supports", "oppose": "opposes", "appeal": "calls on"}
QUOTE = 300  # characters of evidence shown in the brief


def visible_steps(status: StatusView, today: date | None) -> list[NextStep]:
    """Next steps not yet passed on the reference day (the --as-of day, or today)."""
    if today is None:
        return list(status.next_steps)
    return [s for s in status.next_steps if not passed(s, today)]


# --- one phrase per item (shared by the brief and the diff) -------------------------------


def proposal_phrase(p: Proposal) -> str:
    kind = "counter-proposal" if p.kind == "counter-proposal" else "proposal"
    text = f"{p.proposer}'s {kind}"
    if p.addressed:
        text += f" to {', '.join(p.addressed)}"
    if p.via:
        text += f" via {', '.join(p.via)}"
    if p.inferred:
        text += " (known only from a response to it)"
    return text + _on(p.date)


def threat_phrase(t: Threat) -> str:
    text = f"{t.actor}: {t.action}"
    if t.condition:
        text += if_clause(t.condition)
    if t.modality != "asserted":
        text += f" [{t.modality}]"
    return text + _on(t.date)


def step_phrase(s: NextStep) -> str:
    if s.type == "talks.scheduled":
        text = f"{s.actor}: due at talks"
        if s.target:
            text += f" with {s.target}"
        if s.via:
            text += f" via {', '.join(s.via)}"
        if s.location:
            text += f" in {s.location}"
    else:
        text = f"{s.actor}: {s.type} — {s.what}"
    text += f" on {s.when.isoformat()}" if s.when else " (date not given)"
    return f"{text} [{s.modality}]"


def position_phrase(p: Position) -> str:
    who = f"{p.actor} ({p.person})" if p.person else p.actor
    if p.polarity == "appeal":
        text = f"{who} calls on {p.target or 'the parties'}"
        return text + (f" to {p.object}" if p.object != p.target else "")
    return f"{who} {POLARITY_WORDS.get(p.polarity, p.polarity)} {p.object}"


def expectation_phrase(e: Expectation) -> str:
    verb = VERBS[e.type] if e.target else BARE.get(e.type, e.type)
    text = f"{e.actor} {verb}" + (f" {e.target}" if e.target else "")
    if e.type not in ("proposal.rejected", "proposal.accepted") and e.what not in text:
        text += f": {e.what}"
    if e.condition:
        text += if_clause(e.condition)
    text += f" [{e.modality}, not a fact]"
    if e.attribution:
        text += f" according to {e.attribution}"
    return text


def _on(when: date | None) -> str:
    return f" ({when.isoformat()})" if when else ""


def _quote(lines: list[Line]) -> str:
    if not lines:
        return ""
    last = lines[-1]
    text = last.text if len(last.text) <= QUOTE else last.text[: QUOTE - 1].rstrip() + "…"
    return f'"{text}" — {last.source}'


# --- the brief -----------------------------------------------------------------------------


def brief(status: StatusView, today: date | None = None, width: int | None = None) -> list[str]:
    """The status as a short brief for a terminal: phase, table, threats, next steps,
    positions, forecasts. With a width, each line is wrapped to it under its own indent.
    (Markdown is written by tracker.export.markdown, for the CLI as for the export.)"""
    lines = _brief(status, today)
    if width is None:
        return lines
    wrapped: list[str] = []
    for line in lines:
        indent = " " * (len(line) - len(line.lstrip()))
        wrapped += textwrap.wrap(  # at spaces: an article id ("vestria-reply") stays whole
            line, width, subsequent_indent=indent + "  ", break_on_hyphens=False
        ) or [""]
    return wrapped


def _brief(status: StatusView, today: date | None) -> list[str]:
    out: list[str] = []
    item, sub = "  ", "      "
    out.append(f"{status.negotiation}: {PHASE_WORDS.get(status.phase, status.phase)}")
    src = status.sources
    out.append(
        f"{status.events} events from {src.articles} report(s)"
        + (f", latest {src.latest.isoformat()}" if src.latest else "")
    )

    def section(name: str, rows: list[str]) -> None:
        if rows:
            out.append("")
            out.append(name)
            out.extend(rows)

    table: list[str] = []
    for p in status.proposals:
        table.append(f"{item}{proposal_phrase(p)}")
        if p.terms:
            table.append(f"{sub}terms: {'; '.join(p.terms)}")
        for r in p.responses.values():
            said = f"{sub}{r.party}: {RESPONSE_WORDS.get(r.response, r.response)}{_on(r.date)}"
            quote = _quote(r.evidence)
            table.append(said + (f"  {quote}" if quote else ""))
    section("On the table", table)
    if status.agreement:
        a = status.agreement
        rows = [f"{item}between {', '.join(a.parties)}{_on(a.date)}"]
        if a.terms:
            rows.append(f"{sub}terms: {'; '.join(a.terms)}")
        rows += [f"{sub}carried out: {m.what} by {m.actor}{_on(m.date)}" for m in a.implemented]
        rows += [f"{sub}breach: {m.what} by {m.actor}{_on(m.date)}" for m in a.breaches]
        section("Agreement", rows)
    section("Demands", [f"{item}{d.actor}: {d.demand}{_on(d.date)}" for d in status.demands])

    def quoted(phrase: str, evidence: list[Line]) -> list[str]:
        quote = _quote(evidence)
        if not quote:
            return [f"{item}{phrase}"]
        return [f"{item}{phrase}", f"{sub}{quote}"]

    section(
        "Open threats",
        [r for t in status.open_threats for r in quoted(threat_phrase(t), t.evidence)],
    )
    section("Next steps", [f"{item}{step_phrase(s)}" for s in visible_steps(status, today)])
    section(
        "Positions",
        [r for p in status.positions for r in quoted(position_phrase(p) + _on(p.date), p.evidence)],
    )
    section(
        "Expectations (predictions, not facts)",
        [f"{item}{expectation_phrase(e)}" for e in status.expectations],
    )
    if status.last_change:
        c = status.last_change
        out.append("")
        out.append("Last change")
        out.append(f"{item}{c.summary} [{c.modality}]{_on(c.date)} — source: {c.source}")
    return out


# --- one line per fact, for `tracker diff` --------------------------------------------------


def status_lines(status: StatusView, today: date | None = None) -> list[str]:
    lines = [f"phase: {status.phase}"]
    for p in status.proposals:
        lines.append(f"on the table: {proposal_phrase(p)}")
        lines += [f"  terms of {p.proposer}'s {p.kind}: {t}" for t in p.terms]
        lines += [
            f"  {r.party} on {p.proposer}'s {p.kind}: {r.response}" for r in p.responses.values()
        ]
    if status.agreement:
        a = status.agreement
        lines.append(f"agreement: between {', '.join(a.parties)}{_on(a.date)}")
        lines += [f"  carried out: {m.what} by {m.actor}{_on(m.date)}" for m in a.implemented]
        lines += [f"  breach: {m.what} by {m.actor}{_on(m.date)}" for m in a.breaches]
    lines += [f"demand: {d.actor}: {d.demand}" for d in status.demands]
    lines += [f"threat ({t.status}): {threat_phrase(t)}" for t in status.threats]
    lines += [f"next step: {step_phrase(s)}" for s in visible_steps(status, today)]
    lines += [f"position: {position_phrase(p)}" for p in status.positions]
    lines += [f"expectation: {expectation_phrase(e)}" for e in status.expectations]
    return lines


def diff(before: StatusView, after: StatusView, today: date | None = None) -> list[str]:
    """What changed, line by line: '- ' for what no longer holds, '+ ' for what is new."""
    old = status_lines(before)
    new = status_lines(after, today)
    gone, came = set(old) - set(new), set(new) - set(old)
    return [f"- {line}" for line in old if line in gone] + [
        f"+ {line}" for line in new if line in came
    ]


# --- JSON ----------------------------------------------------------------------------------


def document(
    status: Status,
    today: date | None = None,
    as_of: date | None = None,
    known_at: str | None = None,
) -> dict[str, Any]:
    """The JSON of `tracker status` (events/schema/status.json): the status's own fields,
    the next steps still due on `today`, and the cuts it was made at."""
    body = status.model_dump(exclude=BOOKKEEPING) | {
        "next_steps": visible_steps(status, today),
        "as_of": as_of,
        "known_at": known_at,
    }
    return StatusDocument.model_validate(body).model_dump(mode="json")

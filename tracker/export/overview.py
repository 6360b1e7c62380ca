"""The overview of one negotiation: one row of the index page and of `tracker status` with no
negotiation named. Pure: a Status in, a row out, worded as `tracker status` words it."""

from __future__ import annotations

import datetime as dt
import textwrap

from pydantic import BaseModel, ConfigDict

from tracker.export.wording import phase_words, step_phrase, threat_phrase, when
from tracker.projections.brief import visible_steps
from tracker.projections.status import Change, Phase, Status


class Overview(BaseModel):
    model_config = ConfigDict(frozen=True)

    negotiation: str
    phase: Phase
    last_change: Change | None = None
    open_threats: list[str]  # the threats still active, worded
    next_steps: list[str]  # the next steps still due, worded, in the status's order
    reports: int = 0
    latest: dt.date | None = None
    events: int = 0


def overview(status: Status, today: dt.date) -> Overview:
    steps = visible_steps(status, today)
    return Overview(
        negotiation=status.negotiation,
        phase=status.phase,
        last_change=status.last_change,
        open_threats=[threat_phrase(t) for t in status.open_threats],
        next_steps=[step_phrase(s) for s in steps],
        reports=status.sources.articles,
        latest=status.sources.latest,
        events=status.events,
    )


def change_words(change: Change | None) -> str:
    if change is None:
        return "none yet"
    return f"{when(change.date)}: {change.summary} [{change.modality}] — {change.source}"


def sources_words(row: Overview) -> str:
    latest = f", latest {row.latest.isoformat()}" if row.latest else ""
    return f"{row.reports} report{'s' if row.reports != 1 else ''}{latest}"


def overview_lines(rows: list[Overview], width: int | None = None) -> list[str]:
    """The overview for a terminal: one block per negotiation, wrapped to `width`."""
    out: list[str] = []
    for row in rows:
        if out:
            out.append("")
        threats = "; ".join(row.open_threats) if row.open_threats else "none"
        step = row.next_steps[0] if row.next_steps else "none known"
        more = f" (+{len(row.next_steps) - 1} more)" if len(row.next_steps) > 1 else ""
        items = [
            f"{row.negotiation}: {phase_words(row.phase)}",
            f"  last change  {change_words(row.last_change)}",
            f"  open threats {len(row.open_threats)}: {threats}",
            f"  next step    {step}{more}",
            f"  sources      {sources_words(row)}",
        ]
        for item in items:
            if width is None or len(item) <= width:
                out.append(item)
            else:
                out += textwrap.wrap(
                    item, width, subsequent_indent=" " * 15, break_on_hyphens=False
                )
    return out

"""The visual timeline: one inline SVG drawn from the timeline and status models. Pure: models
in, markup out; every string goes through tracker.export.safe_html, which escapes it.

Time runs left to right in one column per dated day (days without events are left out; a gap
of more than a day is marked), then an "undated" column; past 60 such days a column is a week,
past 60 weeks a month, so a long negotiation stays a picture rather than a scroll. Each party
has a lane; each timeline entry is one mark (`a.mark`) in its actor's lane: its shape and
stroke tell the modality, its colour the event family, a ring that it is open today (a
proposal on the table, an active threat). Above the lanes a band shows the phase as of each
column's last day. Each mark links to its card.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.export.safe_html import Html, join, tag
from tracker.export.snapshot import PhasePoint
from tracker.export.wording import MODALITY_NOTE, label, phase_words
from tracker.projections.status import StatusView
from tracker.projections.timeline import Entry

LABEL_W = 124  # the lane names
TOP = 10
BAND_H = 22  # the phase band
LANE_H = 34
STEP = 20  # between marks of one day in one lane
MIN_COL = 58  # wide enough for a date label
GAP_W = 14  # a break of more than a day between two columns
AXIS_H = 34  # date labels
R = 7  # mark size
FONT = 12
MAX_COLUMNS = 60  # past this many days a column is a week; past as many weeks, a month
NEXT = {"day": 1, "week": 7, "month": 31}  # the longest step between adjacent columns
BOLD_W = 0.66 * FONT  # a rough width of a bold character, to fit lane names and phases

FAMILIES = ("proposal", "response", "talks", "agreement", "demand", "appeal", "threat",
            "military", "support", "opposition")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Column:
    day: date | None
    x: float  # left edge
    width: float
    gap_before: int  # days since the previous column, when more than one


def open_entries(entries: Iterable[Entry], status: StatusView) -> set[str]:
    """Ids of the entries behind what is open today: proposals on the table, active threats."""
    lines = [line for p in status.proposals for line in p.evidence]
    lines += [line for t in status.open_threats for line in t.evidence]
    events = {line.event_id for line in lines}
    return {e.id for e in entries if events.intersection(e.events)}


def family(type_: str) -> str:
    first = type_.split(".", 1)[0]
    return first if first in FAMILIES else "other"


def render_timeline_svg(
    entries: Sequence[Entry],
    phases: Sequence[PhasePoint],
    highlighted: set[str],
    current_phase: str | None = None,
) -> Html:
    lanes = _lanes(entries)
    span = _span(entries)
    per_cell: dict[tuple[str, date | None], list[Entry]] = {}
    for entry in entries:
        per_cell.setdefault((entry.actor, _start(entry.date, span)), []).append(entry)
    columns = _columns(per_cell, span)
    width = (columns[-1].x + columns[-1].width if columns else LABEL_W + MIN_COL) + 8
    lanes_top = TOP + BAND_H + 8
    height = lanes_top + len(lanes) * LANE_H + AXIS_H
    x_of = {c.day: c for c in columns}
    marks = []
    for (actor, day), cell in per_cell.items():
        column = x_of[day]
        y = lanes_top + lanes.index(actor) * LANE_H + LANE_H / 2
        first = column.x + column.width / 2 - (len(cell) - 1) * STEP / 2
        marks += [_mark(e, first + i * STEP, y, e.id in highlighted) for i, e in enumerate(cell)]
    total = len(entries)
    return tag(
        "svg",
        tag("title", f"Timeline: {total} event" + ("s" if total != 1 else "")),
        _band(columns, [(_start(p.date, span), str(p.phase)) for p in phases], current_phase),
        _lane_rows(lanes, lanes_top, width),
        _axis(columns, lanes_top + len(lanes) * LANE_H, span),
        marks,
        xmlns="http://www.w3.org/2000/svg",
        viewbox=f"0 0 {width:.0f} {height:.0f}",
        width=f"{width:.0f}",
        height=f"{height:.0f}",
        role="img",
        class_="tl",
        aria_label=f"Visual timeline of {total} event{'s' if total != 1 else ''}, a lane a party",
    )


def _lanes(entries: Sequence[Entry]) -> list[str]:
    """Parties by how many entries they have, then by first appearance."""
    count: dict[str, int] = {}
    for entry in entries:
        count[entry.actor] = count.get(entry.actor, 0) + 1
    order = list(count)
    return sorted(order, key=lambda actor: (-count[actor], order.index(actor)))


def _span(entries: Sequence[Entry]) -> str:
    """A column a day; a week, or a month, when there would be too many columns."""
    days = {e.date for e in entries if e.date is not None}
    for span in ("day", "week"):
        if len({_start(d, span) for d in days}) <= MAX_COLUMNS:
            return span
    return "month"


def _start(day: date | None, span: str) -> date | None:
    """The first day of the column `day` falls in."""
    if day is None or span == "day":
        return day
    if span == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _columns(per_cell: dict[tuple[str, date | None], list[Entry]], span: str) -> list[Column]:
    starts = {d for _, d in per_cell}
    days = [*sorted(d for d in starts if d is not None), *([None] if None in starts else [])]
    columns, x, previous = [], float(LABEL_W), None
    for day in days:
        most = max(len(cell) for (_, d), cell in per_cell.items() if d == day)
        gap = (day - previous).days if day and previous else 0
        broken = gap > NEXT[span]
        if broken:
            x += GAP_W
        width = max(MIN_COL + (14 if span == "week" else 0), most * STEP + 14)
        columns.append(Column(day, x, width, gap if broken else 0))
        x += width
        previous = day
    return columns


def _band(
    columns: Sequence[Column], phases: Sequence[tuple[date | None, str]], current: str | None
) -> Html:
    """Runs of columns with the same phase (as of a column's last day), each a rect with its
    name when it fits."""
    phase_on = dict(phases)  # in date order: the last day of a column wins
    known: str | None = None
    runs: list[tuple[str, float, float]] = []  # phase, x, right edge
    for column in columns:
        phase = phase_on.get(column.day, known) if column.day else current or known
        known = phase
        if phase is None:
            continue
        left = column.x - (GAP_W if column.gap_before else 0)
        if runs and runs[-1][0] == phase:
            runs[-1] = (phase, runs[-1][1], column.x + column.width)
        else:
            runs.append((phase, left, column.x + column.width))
    parts = [_text(LABEL_W - 8, TOP + BAND_H / 2 + 4, "Phase", "lane-name", anchor="end")]
    for phase, left, right in runs:
        words = phase_words(phase)
        room = int((right - left - 6) / BOLD_W)
        shown = words if len(words) <= room else (words[: room - 1] + "…" if room > 3 else "")
        parts.append(
            tag(
                "g",
                tag("title", f"Phase: {words}"),
                tag(
                    "rect",
                    x=_n(left + 1),
                    y=TOP,
                    width=_n(right - left - 2),
                    height=BAND_H,
                    rx=4,
                    class_=f"band ph-{phase}",
                ),
                _text((left + right) / 2, TOP + BAND_H / 2 + 4, shown, "band-name")
                if shown
                else "",
                class_="phase-run",
                data_phase=phase,
            )
        )
    return tag("g", parts, class_="bands")


def _lane_rows(lanes: Sequence[str], top: float, width: float) -> Html:
    rows = []
    room = int((LABEL_W - 12) / BOLD_W)
    for i, actor in enumerate(lanes):
        y = top + i * LANE_H
        shown = actor if len(actor) <= room else actor[: room - 1] + "…"
        rows.append(
            tag(
                "g",
                tag("title", actor),
                tag(
                    "rect",
                    x=0,
                    y=_n(y),
                    width=_n(width),
                    height=LANE_H,
                    class_="lane-even" if i % 2 == 0 else "lane-odd",
                ),
                _text(LABEL_W - 8, y + LANE_H / 2 + 4, shown, "lane-name", anchor="end"),
                class_="lane",
                data_party=actor,
            )
        )
    return tag("g", rows, class_="lanes")


def _axis(columns: Sequence[Column], y: float, span: str) -> Html:
    unit = {"day": "day", "week": "week of", "month": "month"}[span]
    parts, year = [_text(LABEL_W - 8, y + 16, unit, "day", anchor="end")], None
    for column in columns:
        centre = column.x + column.width / 2
        if column.day is None:
            parts.append(_text(centre, y + 16, "undated", "day"))
            continue
        shown = f"{column.day:%b}" if span == "month" else f"{column.day.day} {column.day:%b}"
        parts.append(_text(centre, y + 16, shown, "day"))
        if column.day.year != year:
            parts.append(_text(centre, y + 29, str(column.day.year), "year"))
            year = column.day.year
        if column.gap_before:
            gap_x = column.x - GAP_W / 2
            parts.append(
                tag(
                    "g",
                    tag("title", f"{column.gap_before} days"),
                    tag("line", x1=_n(gap_x), x2=_n(gap_x), y1=TOP, y2=_n(y), class_="gap"),
                )
            )
    return tag("g", parts, class_="axis")


def _mark(entry: Entry, x: float, y: float, is_open: bool) -> Html:
    target = f" → {entry.target}" if entry.target else ""
    when = entry.date.isoformat() if entry.date else "date unknown"
    note = MODALITY_NOTE.get(entry.modality, entry.modality)
    tip = f"{when}: {entry.actor}{target} — {label(entry.type)} ({note})\n{entry.summary}"
    if is_open:
        tip += "\nopen today"
    ring = tag("circle", cx=_n(x), cy=_n(y), r=R + 4, class_="ring") if is_open else ""
    return tag(
        "a",
        tag("title", tip),
        ring,
        shape(entry.modality, x, y),
        href=f"#e-{entry.id}",
        class_=f"mark fam-{family(entry.type)} mod-{entry.modality}" + (" open" if is_open else ""),
        data_entry=entry.id,
        data_type=entry.type,
        data_modality=entry.modality,
    )


def shape(modality: str, x: float, y: float) -> Html:
    """The mark of a modality: a filled dot for a fact, a dashed ring for a plan, a dotted
    diamond for a prediction, a double triangle for a condition, a struck ring for a denial."""
    if modality == "asserted":
        return tag("circle", cx=_n(x), cy=_n(y), r=R, class_="shape solid")
    if modality == "planned":
        return tag("circle", cx=_n(x), cy=_n(y), r=R - 1, class_="shape hollow dashed")
    if modality == "predicted":
        d = f"M{_n(x)} {_n(y - R - 1)}L{_n(x + R + 1)} {_n(y)}L{_n(x)} {_n(y + R + 1)}" + (
            f"L{_n(x - R - 1)} {_n(y)}Z"
        )
        return tag("path", d=d, class_="shape hollow dotted")
    if modality == "conditional":
        return join(
            [
                tag("path", d=_triangle(x, y, R + 1), class_="shape hollow"),
                tag("path", d=_triangle(x, y, R - 3), class_="shape inner"),
            ]
        )
    if modality == "negated":
        k = (R - 1) * 0.7
        return join(
            [
                tag("circle", cx=_n(x), cy=_n(y), r=R - 1, class_="shape hollow"),
                tag(
                    "line", x1=_n(x - k), y1=_n(y + k), x2=_n(x + k), y2=_n(y - k), class_="strike"
                ),
            ]
        )
    return tag("rect", x=_n(x - R + 1), y=_n(y - R + 1), width=2 * R - 2, height=2 * R - 2,
               class_="shape solid")  # fmt: skip


def legend() -> Html:
    """What the marks mean, as an HTML list (it wraps on a phone) with a small SVG each."""
    items = [
        tag("li", _icon(shape(modality, 10, 10)), note, class_="fam-other")
        for modality, note in MODALITY_NOTE.items()
    ]
    ring = tag("circle", cx=10, cy=10, r=R + 2, class_="ring")
    dot = shape("asserted", 10, 10)
    items.append(tag("li", _icon(ring, dot), "open today", class_="fam-other"))
    items.append(tag("li", "colour = kind of event; top band = phase", class_="muted"))
    return tag("ul", items, class_="tl-legend", aria_label="What the marks mean")


def _icon(*content: Html) -> Html:
    return tag(
        "svg",
        content,
        xmlns="http://www.w3.org/2000/svg",
        viewbox="0 0 20 20",
        width=20,
        height=20,
        class_="tl icon",
        aria_hidden="true",
    )


def _triangle(x: float, y: float, size: float) -> str:
    return (
        f"M{_n(x)} {_n(y - size)}L{_n(x + size)} {_n(y + size * 0.8)}"
        f"L{_n(x - size)} {_n(y + size * 0.8)}Z"
    )


def _text(x: float, y: float, text: str, class_: str, anchor: str = "middle") -> Html:
    return tag("text", text, x=_n(x), y=_n(y), class_=class_, text_anchor=anchor)


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")

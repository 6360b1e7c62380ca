"""The visual timeline as SVG text (tracker/export/timeline_svg.py) and the phase band data,
without a browser: one mark per entry, shaped by modality, escaped, open items ringed."""

from __future__ import annotations

import re
from datetime import date
from xml.etree import ElementTree

from test_export_data import IMG, NEGOTIATION, SCRIPT, fill_seed

from tracker.export.build import build_snapshot
from tracker.export.snapshot import PhasePoint
from tracker.export.timeline_svg import open_entries, render_timeline_svg
from tracker.projections.status import Phase
from tracker.projections.timeline import Entry
from tracker.store import SQLiteEventStore

SVG = "{http://www.w3.org/2000/svg}"


def entry(n: int, actor: str, day: date | None, modality: str = "asserted", **kw: str) -> Entry:
    return Entry(
        id=f"e{n}",
        negotiation="n",
        date=day,
        type=kw.get("type", "proposal.made"),
        actor=actor,
        target=kw.get("target"),
        modality=modality,
        summary=kw.get("summary", f"entry {n}"),
        first_position=n,
        last_position=n,
    )


def parse(svg: str) -> ElementTree.Element:
    # the markup is XML as well as HTML: parse it to check structure, not substrings
    return ElementTree.fromstring(svg.replace("viewbox=", "viewBox="))


def marks(root: ElementTree.Element) -> list[ElementTree.Element]:
    return [a for a in root.iter(f"{SVG}a") if "mark" in a.get("class", "").split()]


def test_one_mark_per_entry_in_its_party_lane_and_day_column() -> None:
    entries = [
        entry(1, "Qatar", date(2024, 3, 1)),
        entry(2, "Qatar", date(2024, 3, 1), "planned"),
        entry(3, "Westland", date(2024, 3, 2), "predicted"),
        entry(4, "Eastland", date(2024, 3, 20), "conditional", type="threat.issued"),
        entry(5, "Eastland", None, "negated"),
    ]
    root = parse(render_timeline_svg(entries, [], set()))
    found = marks(root)
    assert [m.get("data-entry") for m in found] == ["e1", "e2", "e3", "e4", "e5"]
    lanes = [g.get("data-party") for g in root.iter(f"{SVG}g") if g.get("data-party")]
    assert lanes == ["Qatar", "Eastland", "Westland"]  # most entries first, then first seen
    days = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "day"]
    assert days == ["day", "1 Mar", "2 Mar", "20 Mar", "undated"]
    # two marks of one party on one day sit side by side, not on top of each other
    xs = [float(m.find(f"{SVG}circle").get("cx")) for m in found[:2]]  # type: ignore[union-attr]
    assert abs(xs[0] - xs[1]) >= 14
    # a break of more than a day is marked (2 -> 20 March), none between 1 and 2 March
    gaps = [g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}line") is not None]
    assert [g.findtext(f"{SVG}title") for g in gaps] == ["18 days"]


def test_each_modality_has_its_own_shape_and_each_mark_links_to_its_card() -> None:
    modalities = ["asserted", "planned", "predicted", "conditional", "negated"]
    entries = [entry(i, "A", date(2024, 1, 1), m) for i, m in enumerate(modalities)]
    root = parse(render_timeline_svg(entries, [], set()))
    shapes = []
    for mark in marks(root):
        drawn = [child for child in mark if child.tag != f"{SVG}title"]
        shapes.append(tuple((c.tag.removeprefix(SVG), c.get("class")) for c in drawn))
        assert mark.get("href") == f"#e-{mark.get('data-entry')}"
        assert mark.get("data-modality") in mark.get("class", "")
    assert len(set(shapes)) == len(modalities)  # no two modalities look alike
    titles = [m.findtext(f"{SVG}title") or "" for m in marks(root)]
    assert "predicted, not fact" in titles[2] and "denied" in titles[4]


def test_hostile_names_are_text() -> None:
    entries = [entry(1, f"Hamas {SCRIPT}", date(2024, 1, 1), target=IMG, summary=SCRIPT)]
    svg = render_timeline_svg(entries, [], set())
    assert "<script" not in svg and "<img" not in svg
    root = parse(svg)
    assert any(SCRIPT in (t.text or "") for t in root.iter(f"{SVG}title"))


def test_phase_band_runs_and_open_rings() -> None:
    days = [date(2024, 3, d) for d in (1, 2, 3, 4)]
    entries = [entry(i, "A", day) for i, day in enumerate(days)]
    phases = [
        PhasePoint(date=days[0], phase=Phase.PROPOSAL_PENDING),
        PhasePoint(date=days[1], phase=Phase.NEGOTIATING),
        PhasePoint(date=days[2], phase=Phase.NEGOTIATING),
        PhasePoint(date=days[3], phase=Phase.STALLED),
    ]
    root = parse(render_timeline_svg(entries, phases, {"e2"}))
    runs = [g.get("data-phase") for g in root.iter(f"{SVG}g") if g.get("data-phase")]
    assert runs == ["proposal_pending", "negotiating", "stalled"]
    ringed = [m.get("data-entry") for m in marks(root) if "open" in m.get("class", "").split()]
    assert ringed == ["e2"]


def test_seed_snapshot_marks_open_proposal_and_threat(store: SQLiteEventStore) -> None:
    fill_seed(store)
    snapshot = build_snapshot(store, NEGOTIATION)
    opened = open_entries(snapshot.timeline, snapshot.status)
    kinds = sorted(e.type for e in snapshot.timeline if e.id in opened)
    assert kinds == ["proposal.made", "threat.issued"]
    assert [(p.date, p.phase) for p in snapshot.phases] == [
        (date(2024, 4, 30), Phase.PROPOSAL_PENDING),
        (date(2024, 5, 2), Phase.PROPOSAL_PENDING),
    ]
    svg = render_timeline_svg(snapshot.timeline, snapshot.phases, opened)
    assert len(re.findall(r'<a href="#e-', svg)) == len(snapshot.timeline) == 9


def test_phase_points_are_the_as_of_phases_in_one_pass_or_not() -> None:
    from tracker.export.phases import phase_points
    from tracker.projections.facts import Fact
    from tracker.projections.fold import project

    kinds = ["proposal.made", "talks.held", "proposal.rejected", "talks.ended", "proposal.made"]
    facts = [
        Fact(type=t, actor="A" if i % 2 else "B", target="B" if i % 2 else "A",
             published=date(2024, 3, 1 + 2 * i), position=i + 1, event_id=f"f{i}")
        for i, t in enumerate(kinds)
    ]  # fmt: skip
    days = [f.published for f in facts if f.published]

    def as_of(chosen: list[Fact], day: date) -> Phase:
        return project("n", [f for f in chosen if f.known_date and f.known_date <= day]).phase

    in_order = phase_points("n", facts, days)  # the log in date order: one fold
    assert [p.phase for p in in_order] == [as_of(facts, d) for d in days]
    assert len({p.phase for p in in_order}) >= 3  # the band does change over these days
    shuffled = [facts[2], facts[0], facts[4], facts[1], facts[3]]  # arrived out of order
    assert [p.phase for p in phase_points("n", shuffled, days)] == [
        as_of(shuffled, d) for d in days
    ]


def test_a_long_negotiation_gets_week_then_month_columns() -> None:
    from datetime import timedelta

    start = date(2024, 1, 1)  # a Monday
    for days, unit, first in ((200, "week of", "1 Jan"), (800, "month", "Jan")):
        entries = [entry(i, "AB"[i % 2], start + timedelta(days=i)) for i in range(days)]
        root = parse(render_timeline_svg(entries, [], set()))
        labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "day"]
        assert len(labels) <= 61 and labels[:2] == [unit, first]
        assert len(marks(root)) == days  # still one mark per entry
        assert float(root.get("width") or 0) < 60 * 200

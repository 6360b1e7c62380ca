"""The fold's plain draft classes (draft.py) mirror the pydantic status models (status.py) field
by field, for speed. These tests keep the two in step: a field added to one side only would
otherwise be dropped without a word when a status is stored or folded on."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from pydantic import BaseModel

from tracker.projections import draft, status
from tracker.projections.fold import Folder


def _pairs() -> list[tuple[type, type[BaseModel]]]:
    names = [n for n, c in vars(draft).items() if dataclasses.is_dataclass(c)]
    assert "Draft" in names and "Line" in names
    return [
        (getattr(draft, n), status.Status if n == "Draft" else getattr(status, n)) for n in names
    ]


@pytest.mark.parametrize(("plain", "model"), _pairs(), ids=lambda c: c.__name__)
def test_each_draft_class_has_its_models_fields_and_defaults(
    plain: type, model: type[BaseModel]
) -> None:
    fields = dataclasses.fields(plain)
    # same names (a dataclass lists required fields first, so the order may differ)
    assert sorted(f.name for f in fields) == sorted(model.model_fields)
    for f in fields:
        wanted = model.model_fields[f.name]
        if wanted.is_required():
            assert f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        elif f.default_factory is not dataclasses.MISSING:
            made, default = f.default_factory(), wanted.get_default(call_default_factory=True)
            if isinstance(default, BaseModel):
                made, default = dataclasses.asdict(made), default.model_dump()
            assert made == default, f.name
        else:
            assert f.default == wanted.default, f.name


def test_a_status_survives_the_draft_round_trip() -> None:
    line = status.Line(text="Talks resumed in Cairo.", source="one.example", event_id="e1")
    shown = status.Status(
        negotiation="harbour-talks",
        phase=status.Phase.NEGOTIATING,
        proposals=[
            status.Proposal(
                id="p1",
                proposer="Northland",
                addressed=["Southland"],
                responses={"Southland": status.Response(party="Southland", evidence=[line])},
                evidence=[line],
            )
        ],
        agreement=status.Agreement(
            parties=["Northland"],
            implemented=[status.Milestone(what="prisoners freed", actor="Northland")],
        ),
        demands=[status.Demand(actor="Southland", demand="a full withdrawal", evidence=[line])],
        threats=[status.Threat(actor="Northland", action="resume strikes")],
        next_steps=[status.NextStep(type="talks.scheduled", what="Cairo", actor="Northland")],
        positions=[status.Position(actor="Eastland", polarity="support", object="the deal")],
        expectations=[status.Expectation(type="talks.held", what="Cairo", actor="Southland")],
        sources=status.Sources(articles=2, latest=dt.date(2024, 5, 6)),
        events=3,
        position=9,
        clock=dt.date(2024, 5, 6),
        articles_seen=["a1", "a2"],
    )
    assert Folder(shown).result() == shown

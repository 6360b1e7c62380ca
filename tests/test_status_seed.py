"""End to end on the seed article: `tracker ingest` (the extraction) then `tracker status`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import SEED_ARTICLE, CliResult

Cli = Callable[..., CliResult]


@pytest.fixture
def seeded(cli: Cli) -> dict[str, Any]:
    done = cli("ingest", str(SEED_ARTICLE))
    if done.code == 2 and "No such command" in done.err:
        pytest.skip("`tracker ingest` (the extraction issue) has not landed")
    assert done.code == 0, done.err
    shown = cli("status", "--json")
    assert shown.code == 0, shown.err
    body: dict[str, Any] = shown.json()
    return body


def test_seed_status_is_a_pending_proposal_via_egypt(seeded: dict[str, Any]) -> None:
    assert seeded["phase"] == "proposal_pending"
    [proposal] = seeded["proposals"]
    assert (proposal["proposer"], proposal["via"]) == ("Israel", ["Egypt"])
    terms = " ".join(proposal["terms"])
    assert "30 hostages" in terms and "in return" in terms
    assert proposal["responses"]["Hamas"]["response"] == "under_review"


def test_seed_status_has_the_delegation_the_threat_and_the_prediction(
    seeded: dict[str, Any],
) -> None:
    steps = [(s["type"], s["actor"], s["location"]) for s in seeded["next_steps"]]
    assert ("talks.scheduled", "Hamas", "Cairo") in steps
    [threat] = [t for t in seeded["threats"] if t["status"] == "active"]
    assert threat["actor"] == "Israel" and "Rafah" in threat["action"]
    assert "reject" in threat["condition"]
    assert threat["modality"] == "conditional"
    predicted = [(e["type"], e["actor"], e["modality"]) for e in seeded["expectations"]]
    assert ("proposal.rejected", "Hamas", "predicted") in predicted


def test_seed_status_has_the_united_states_for_the_deal_and_against_the_invasion(
    seeded: dict[str, Any],
) -> None:
    us = {p["polarity"]: p for p in seeded["positions"] if p["actor"] == "United States"}
    assert {"support", "oppose"} <= set(us)
    assert "ceasefire agreement" in us["support"]["evidence"][0]["text"]
    assert "invasion of Rafah" in us["oppose"]["evidence"][0]["text"]


def test_seed_text_brief(cli: Cli, seeded: dict[str, Any]) -> None:
    done = cli("status")
    assert done.code == 0
    assert done.out.startswith(f"{seeded['negotiation']}: proposal pending")
    assert "Israel's proposal to Hamas via Egypt" in done.out
    assert "[predicted, not a fact]" in done.out

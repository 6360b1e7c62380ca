"""The evaluation: DESIGN.md's matching rule, optional gold, and the bar on tests/gold."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tracker.cli.extract_cmds import evaluate
from tracker.extract.scoring import Report, score_article

GOLD = Path(__file__).resolve().parent / "gold"


def test_gold_corpus_meets_the_bar() -> None:
    report = evaluate(GOLD / "events", GOLD / "articles")
    precision, recall, _ = report.overall.prf()
    assert report.overall.gold >= 60
    assert precision >= 0.85, f"precision {precision:.3f}"
    assert recall >= 0.75, f"recall {recall:.3f}"


def test_gold_covers_every_type_and_modality() -> None:
    report = evaluate(GOLD / "events", GOLD / "articles")
    from tracker.events import NEGOTIATION_TYPES

    assert {t for t, tally in report.per_type.items() if tally.gold} == set(NEGOTIATION_TYPES)


def test_matching_rule() -> None:
    gold = [
        {"type": "proposal.made", "actor": "Israel", "modality": "asserted"},
        {"type": "proposal.rejected", "actor": "Hamas", "modality": "predicted"},
        {"type": "appeal.made", "actor": "Qatar", "required": False},
    ]
    pred = [
        {"type": "proposal.made", "actor": "israel", "modality": "asserted"},  # case-insensitive
        {"type": "proposal.rejected", "actor": "Hamas", "modality": "asserted"},  # wrong modality
        {"type": "appeal.made", "actor": "Qatar"},  # optional: neither hit nor false alarm
        {"type": "threat.issued", "actor": "Israel"},  # extra
    ]
    report = Report()
    score_article(report, "a", gold, pred)
    assert (report.overall.gold, report.overall.predicted, report.overall.hits) == (2, 3, 2)
    assert report.overall.modality_ok == 1
    assert report.per_type["threat.issued"].predicted == 1


def test_strict_matching_needs_the_gold_target_and_modality() -> None:
    gold = [
        {"type": "proposal.rejected", "actor": "Hamas", "target": "Israel"},
        {"type": "talks.held", "actor": "Qatar"},  # no gold target: any target will do
        {"type": "threat.issued", "actor": "Israel", "modality": "conditional"},
    ]
    pred = [
        {"type": "proposal.rejected", "actor": "Hamas", "target": None},  # target left empty
        {"type": "talks.held", "actor": "Qatar", "target": "Hamas"},
        {"type": "threat.issued", "actor": "Israel", "modality": "asserted"},
    ]
    report = Report()
    score_article(report, "a", gold, pred)
    assert report.overall.hits == 3 and report.overall.strict == 1
    assert (report.overall.targeted, report.overall.target_ok, report.overall.target_empty) == (
        1,
        0,
        1,
    )
    assert report.as_dict()["strict"]["precision"] == round(1 / 3, 3)
    assert report.target_errors[0][2] is None


def test_eval_cli_json(cli: Callable[..., object]) -> None:
    result = cli("eval", str(GOLD / "events"), str(GOLD / "articles"), "--format", "json", db=None)
    assert result.code == 0  # type: ignore[attr-defined]
    data = result.json()  # type: ignore[attr-defined]
    assert data["overall"]["precision"] >= 0.85 and "proposal.made" in data["per_type"]
    assert data["strict"]["matched"] <= data["overall"]["matched"]


def test_eval_cli_bad_folder(cli: Callable[..., object], tmp_path: Path) -> None:
    result = cli("eval", str(tmp_path / "none"), str(tmp_path), db=None)
    assert result.code == 2 and "not a folder" in result.err  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "gold", ['[{"type": "talks.held"}]', '{"events": "talks.held"}', '{"events": [{}]}']
)
def test_eval_cli_malformed_gold_is_one_line(
    cli: Callable[..., object], tmp_path: Path, gold: str
) -> None:
    (tmp_path / "a.json").write_text(gold, encoding="utf-8")
    result = cli("eval", str(tmp_path), str(tmp_path), db=None)
    assert result.code == 1  # type: ignore[attr-defined]
    assert result.err.startswith(f"error: {tmp_path / 'a.json'}: gold must be")  # type: ignore[attr-defined]

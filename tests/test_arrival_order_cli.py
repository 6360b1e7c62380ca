"""Issue 11's two reports of one labour negotiation, through the CLI in both orders: A (3 March:
the union proposes; the operators are reviewing) and B (7 March: the operators reject it and
counter). B arriving first, as from a feed listing newest first, must not leave the 3 March
review as the state of the talks. A is a real article ingested through the extractor; B is
added by hand (`tracker add`), so the test leans on the extractor for A's proposal only."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import CliResult

Cli = Callable[..., CliResult]
TALKS = "west-coast-ports-contract"
UNION = "International Longshore Workers Union"
OPERATORS = "Pacific Terminal Operators Association"

ARTICLE_A = {
    "id": "ports-0303",
    "url": "https://harbourwire.example/ports-0303",
    "title": "Dockworkers table wage offer",
    "published": "2025-03-03",
    "source": "Harbour Wire",
    "text": "Dockworkers table wage offer\n\n"
    f"The {UNION} proposed a new six-year contract to the {OPERATORS} on Monday, with a wage "
    "increase of 32 percent.\n\n"
    f"The {OPERATORS} said it is reviewing the proposal and would respond later.",
}
# One event: two hand-added events of the same day are folded in the order of their ids
# (content hashes, the same in any log), not in the order they were typed.
REPORT_B = [
    (
        "proposal.countered",
        f"The {OPERATORS} rejected the union's contract proposal on Friday and made a "
        "counter-offer of a 20 percent wage increase over six years.",
    ),
]


def ingest_a(cli: Cli, folder: Path, db: Path | str) -> None:
    path = folder / "ports-0303.json"
    path.write_text(json.dumps(ARTICLE_A), encoding="utf-8")
    done = cli("ingest", str(path), db=db)
    assert done.code == 0, done.err


def add_b(cli: Cli, db: Path | str) -> None:
    for type_, sentence in REPORT_B:
        done = cli(
            "add",
            "--create",
            type_,
            "--actor",
            OPERATORS,
            "--target",
            UNION,
            "--negotiation",
            TALKS,
            "--occurred",
            "2025-03-07",
            "--source",
            "https://portsdaily.example/ports-0307",
            "--evidence",
            sentence,
            db=db,
        )
        assert done.code == 0, done.err


def _plain(value: Any) -> Any:
    """Without the log positions and record times, which differ between two logs of the same
    facts (an alert's events carry both)."""
    if isinstance(value, dict):
        return {
            k: _plain(v) for k, v in value.items() if not k.endswith(("position", "recorded_at"))
        }
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def answers(cli: Cli, db: Path) -> dict[str, Any]:
    status = cli("status", TALKS, "--json", db=db)
    timeline = cli("timeline", TALKS, "--json", db=db)
    as_of = cli("status", TALKS, "--as-of", "2025-03-05", "--json", db=db)
    since = cli("diff", TALKS, "--since", "2025-03-05", "--json", db=db)
    for done in (status, timeline, as_of, since):
        assert done.code == 0, done.err
    return {
        "status": _plain(status.json()),
        "timeline": _plain(timeline.json()),
        "as_of": _plain(as_of.json()),
        "diff": _plain(since.json()),
        "brief": cli("status", TALKS, db=db).out,
    }


def test_the_later_report_wins_whichever_arrives_first(cli: Cli, tmp_path: Path) -> None:
    a_then_b, b_then_a = tmp_path / "a-then-b.db", tmp_path / "b-then-a.db"
    ingest_a(cli, tmp_path, a_then_b)
    add_b(cli, a_then_b)
    add_b(cli, b_then_a)
    ingest_a(cli, tmp_path, b_then_a)

    first = answers(cli, a_then_b)
    assert first["status"]["phase"] == "negotiating"
    [union_offer] = [p for p in first["status"]["proposals"] if p["proposer"] == UNION]
    assert union_offer["responses"][OPERATORS]["response"] == "countered"
    assert first["status"]["last_change"]["date"] == "2025-03-07"
    assert first["as_of"]["phase"] == "proposal_pending"  # on 5 March only A was true
    assert answers(cli, b_then_a) == first

    rebuilt = cli("rebuild", db=b_then_a)
    assert rebuilt.code == 0, rebuilt.err
    assert answers(cli, b_then_a) == first  # a rebuild replays in fold order, not log order

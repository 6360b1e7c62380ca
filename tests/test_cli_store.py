"""The log commands as a user runs them: init, add, list, retract, correct, verify."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult

Cli = Callable[..., CliResult]

PROPOSAL = [
    "add",
    "proposal.made",
    "--actor",
    "Israel",
    "--target",
    "Hamas",
    "--via",
    "Egypt",
    "--negotiation",
    "gaza-ceasefire",
    "--create",
    "--occurred",
    "2024-04-27",
    "--evidence",
    "Israel initiated the latest ceasefire talks by proposing a hostage release deal.",
]


def test_init_creates_a_store_file(cli: Cli, db_path: Path) -> None:
    result = cli("init")
    assert result.code == 0 and db_path.exists()
    assert "store ready" in result.err


def test_add_then_list_as_json(cli: Cli) -> None:
    assert cli(*PROPOSAL).code == 0
    rows = cli("list", "--format", "json").json()
    assert len(rows) == 1
    row = rows[0]
    assert (row["type"], row["actor"], row["target"], row["via"]) == (
        "proposal.made",
        "Israel",
        "Hamas",
        ["Egypt"],
    )
    assert row["negotiations"] == ["gaza-ceasefire"] and row["date"] == "2024-04-27"
    assert row["modality"] == "asserted" and row["position"] == 1


def test_adding_the_same_event_twice_stores_it_once(cli: Cli) -> None:
    cli(*PROPOSAL)
    again = cli(*PROPOSAL)
    assert again.code == 0 and "already stored" in again.err
    assert len(cli("list", "--json").json()) == 1


def test_list_filters(cli: Cli) -> None:
    cli(*PROPOSAL)
    cli(
        "add",
        "threat.issued",
        "--actor",
        "Israel",
        "--modality",
        "conditional",
        "--condition",
        "Hamas rejects the proposal",
        "--negotiation",
        "gaza-ceasefire",
        "--create",
        "--occurred",
        "2024-04-29",
        "--evidence",
        "Israel's military would invade Rafah.",
    )
    assert [r["type"] for r in cli("list", "--type", "threat.issued", "--json").json()] == [
        "threat.issued"
    ]
    assert len(cli("list", "--modality", "conditional", "--json").json()) == 1
    assert len(cli("list", "--since", "2024-04-28", "--json").json()) == 1
    assert len(cli("list", "--until", "2024-04-28", "--json").json()) == 1
    assert len(cli("list", "--actor", "israel", "--json").json()) == 2
    assert cli("list", "--negotiation", "other", "--json").json() == []
    assert len(cli("list", "--limit", "1", "--json").json()) == 1


def test_list_as_csv_and_table(cli: Cli) -> None:
    cli(*PROPOSAL)
    csv_out = cli("list", "--format", "csv").out.splitlines()
    assert csv_out[0].startswith("position,id,date,type,actor") and len(csv_out) == 2
    table = cli("list").out
    assert "proposal.made" in table and "Israel" in table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["add", "proposal.mad", "--actor", "X", "--negotiation", "n", "--evidence", "e"],
            "unknown type 'proposal.mad'; valid: proposal.made",
        ),
        ([*PROPOSAL, "--modality", "rumoured"], "unknown modality 'rumoured'; valid: asserted"),
        (
            [*PROPOSAL[:-4], "--occurred", "27/04/2024", "--evidence", "e"],
            "--occurred must be a date YYYY-MM-DD",
        ),
        (["list", "--since", "yesterday"], "--since must be a date"),
        (["list", "--format", "xml"], "'xml' is not one of"),
        (["add", "proposal.made", "--negotiation", "n", "--evidence", "e"], "--actor"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(cli: Cli, args: list[str], message: str) -> None:
    cli("init")
    result = cli(*args)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err + result.out


def test_read_commands_do_not_create_a_store(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    result = cli("list", db=missing)
    assert result.code == 1 and "no store at" in result.err and not missing.exists()


def test_retract_hides_nothing_from_the_log_but_marks_the_event(cli: Cli) -> None:
    cli(*PROPOSAL)
    event_id = cli("list", "--json").json()[0]["id"]
    result = cli("retract", event_id[:10], "--reason", "the report was denied")
    assert result.code == 0
    rows = cli("list", "--json").json()
    assert [r["type"] for r in rows] == ["proposal.made", "event.retracted"]
    assert rows[0]["state"] == "retracted" and rows[1]["event_id"] == event_id
    again = cli("retract", event_id, "--reason", "twice")
    assert again.code == 1 and "already retracted" in again.err


def test_correct_applies_changes_as_a_new_event(cli: Cli) -> None:
    cli(*PROPOSAL)
    event_id = cli("list", "--json").json()[0]["id"]
    result = cli("correct", event_id, "--set", "modality=predicted", "--reason", "misread cue")
    assert result.code == 0
    rows = cli("list", "--json").json()
    assert rows[0]["modality"] == "predicted" and rows[0]["state"] == "corrected"
    bad = cli("correct", event_id, "--set", "modality=rumoured", "--reason", "x")
    assert bad.code == 1 and "correction is not valid" in bad.err


def test_retract_unknown_id_is_a_clear_error(cli: Cli) -> None:
    cli("init")
    result = cli("retract", "deadbeef00", "--reason", "x")
    assert result.code == 1 and "no event with id 'deadbeef00'" in result.err


def test_verify_finds_a_row_altered_behind_the_stores_back(cli: Cli, db_path: Path) -> None:
    cli(*PROPOSAL)
    cli(*[a if a != "Egypt" else "Qatar" for a in PROPOSAL])
    assert cli("verify").code == 0
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute(
        "UPDATE events SET payload = json_set(payload, '$.actor', 'Hamas') WHERE position = 1"
    )
    conn.commit()
    conn.close()
    result = cli("verify")
    assert result.code == 1
    assert "log broken at position 1: content does not match its hash" in result.err

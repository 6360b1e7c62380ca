"""One vocabulary (issue 15 §6): the status carries each thing once, under one name, in the JSON
of `tracker status`, the dashboard's API (tests/test_serve.py checks it equals the CLI's), the
export snapshot and their generated schemas; a store written by the previous release loads."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import CliResult
from test_export_data import NEGOTIATION, fill_seed

from tracker.schema import STATUS_FILE, schema_dir
from tracker.store import SQLiteEventStore

Cli = Callable[..., CliResult]
# The names of the retired second spec, each a copy or a re-cut of a field kept:
# pending = next_steps, stances = positions, predictions = expectations,
# current_proposal = proposals[-1], open_threats = threats with status "active",
# mediators = every proposal's via.
RETIRED = {"pending", "stances", "predictions", "current_proposal", "open_threats", "mediators"}
KEPT = {"proposals", "threats", "next_steps", "positions", "expectations"}
PREVIOUS = Path(__file__).parent / "fixtures" / "store_main_581f8a3.db"


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((schema_dir() / STATUS_FILE).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def errors(document: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(document)]


@pytest.fixture
def seeded(store: SQLiteEventStore) -> SQLiteEventStore:
    fill_seed(store)
    return store


def test_the_status_json_names_each_thing_once(seeded: SQLiteEventStore, cli: Cli) -> None:
    done = cli("status", NEGOTIATION, "--as-of", "2024-04-30", "--json")
    assert done.code == 0, done.err
    body = done.json()
    assert errors(body) == []
    assert set(body) >= KEPT and not RETIRED & set(body)
    assert not {"clock", "articles_seen"} & set(body)  # the fold's bookkeeping stays inside
    assert [t["status"] for t in body["threats"]] == ["active"]
    assert body["proposals"][-1]["responses"]["Hamas"]["response"] == "under_review"
    # the schema is strict: a retired name, or a field of the wrong shape, does not pass
    for name in sorted(RETIRED):
        assert not validator().is_valid({**body, name: body["next_steps"]}), name
    assert not validator().is_valid({**body, "next_steps": 1})


def test_the_export_snapshot_carries_the_same_status(seeded: SQLiteEventStore, cli: Cli) -> None:
    shown = cli("status", NEGOTIATION, "--as-of", "2024-04-30", "--json").json()
    exported = json.loads(cli("export", NEGOTIATION, "-f", "json", "--as-of", "2024-04-30").out)
    cuts = {"as_of", "known_at"}  # the snapshot has its own as_of, beside the status
    assert {k: v for k, v in shown.items() if k not in cuts} == exported["status"]


def test_a_store_written_by_the_previous_release_loads(cli: Cli, tmp_path: Path) -> None:
    """tests/fixtures/store_main_581f8a3.db was made by main at 581f8a3, whose status JSON
    still carried the retired names: the seed article, a hand-added rejection, and a threat in
    a negotiation started by `tracker add`. Its read-model rows (status@6) are read as they
    are, without a rebuild, and answer in the one vocabulary."""
    db = tmp_path / "previous.db"
    shutil.copyfile(PREVIOUS, db)
    raw = sqlite3.connect(db)
    stored = dict(raw.execute("SELECT negotiation, status FROM projection_status").fetchall())
    raw.close()
    assert set(stored) == {NEGOTIATION, "my-own-talks"}
    bodies = {}
    for name in stored:
        done = cli("status", name, "--json", db=db)
        assert done.code == 0, done.err
        bodies[name] = done.json()
        assert errors(bodies[name]) == [] and not RETIRED & set(bodies[name])
    raw = sqlite3.connect(db)
    checkpoint = raw.execute("SELECT name FROM projection_checkpoints").fetchall()
    raw.close()
    assert checkpoint == [("status@6",)]  # read as stored, not dropped and folded again
    assert bodies[NEGOTIATION]["phase"] == "stalled"  # the hand-added rejection counts
    assert bodies["my-own-talks"]["threats"][0]["actor"] == "Norland"
    # and what was stored is what the log gives today
    assert cli("rebuild", db=db).code == 0
    for name, body in bodies.items():
        assert cli("status", name, "--json", db=db).json() == body

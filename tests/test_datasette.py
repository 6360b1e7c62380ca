"""`tracker datasette-metadata` describes every table, view and column this tracker creates,
and real Datasette (`datasette --get`, no server) shows the store with it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import SEED_ARTICLE

from tracker.datasette import TABLES
from tracker.store import open_store

DATASETTE = Path(sys.executable).with_name("datasette")


def _get(db: Path, metadata: Path, path: str) -> str:
    done = subprocess.run(
        [str(DATASETTE), str(db), "-m", str(metadata), "--get", path],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_column_of_the_tracker_tables_is_described(db_path):
    with open_store(db_path) as store:
        for name, known in TABLES.items():
            present = {c.name for c in store.db[name].columns}
            assert present, f"{name} is not in a fresh store"
            described = set(known["columns"])
            assert present - described == set(), f"{name}: columns without a description"
            assert described - present == set(), f"{name}: described columns that are gone"
            assert known["description"]


def test_the_metadata_lists_the_stores_tables(cli, db_path):
    assert cli("init").code == 0
    document = cli("datasette-metadata").json()
    tables = document["databases"]["tracker"]["tables"]
    assert {"events", "events_view", "notifications", "projection_status"} <= set(tables)
    view = tables["events_view"]
    assert view["facets"] == ["negotiation", "type", "modality", "actor"]
    assert view["columns"]["modality"].endswith("Only asserted events are facts.")
    renamed = cli("datasette-metadata", "--name", "talks").json()
    assert list(renamed["databases"]) == ["talks"]


def test_datasette_shows_the_view_with_its_descriptions(cli, db_path, tmp_path):
    assert cli("ingest", str(SEED_ARTICLE)).code == 0
    metadata = tmp_path / "metadata.json"
    metadata.write_text(cli("datasette-metadata").out)
    rows = json.loads(_get(db_path, metadata, "/tracker/events_view.json?_shape=array"))
    listed = [r for r in cli("list", "--format", "json").json() if "actor" in r]
    assert [(r["position"], r["type"], r["actor"]) for r in rows] == [
        (r["position"], r["type"], r["actor"]) for r in listed
    ]
    page = _get(db_path, metadata, "/tracker/events_view")
    assert "One row per negotiation event, flattened for reading" in page
    assert "Only asserted events are facts" in page  # a column's description
    assert "israel-hamas-ceasefire" in page

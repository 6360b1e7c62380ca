"""The JSON Schema of the export snapshot, generated from the Snapshot model. tracker/schema.py
writes it to events/schema/snapshot.json with the event schemas (`tracker schema`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tracker.export.snapshot import SCHEMA_ID, SNAPSHOT_VERSION, Snapshot
from tracker.resources import data_dir

FILE_NAME = "snapshot.json"


def schema_path() -> Path:
    return data_dir("events") / "schema" / FILE_NAME


def snapshot_schema() -> dict[str, Any]:
    schema = Snapshot.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["x-snapshot-version"] = SNAPSHOT_VERSION
    return schema


def schema_text() -> str:
    return json.dumps(snapshot_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

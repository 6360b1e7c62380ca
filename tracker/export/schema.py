"""events/schema/snapshot.json, generated from the Snapshot model.

tracker/schema.py leaves this file alone (it is "foreign" there); tests/test_export.py fails
when it is stale. Regenerate with: python -m tracker.export.schema
"""

from __future__ import annotations

import json
import sys
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


def is_stale(path: Path | None = None) -> bool:
    path = path or schema_path()
    return not path.is_file() or path.read_text(encoding="utf-8") != schema_text()


def write(path: Path | None = None) -> Path:
    path = path or schema_path()
    path.write_text(schema_text(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"wrote {write()}", file=sys.stderr)

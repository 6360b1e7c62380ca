"""JSON Schemas generated from the models, kept in events/schema/ for other tools: one per
event type, status.json for `tracker status --json` (and the dashboard's /api/status), and
snapshot.json for `tracker export --format json`."""

from __future__ import annotations

import json
from pathlib import Path

from tracker.events import EVENT_CLASSES
from tracker.export.schema import FILE_NAME as SNAPSHOT_FILE
from tracker.export.schema import schema_text as snapshot_schema_text
from tracker.projections.status import StatusDocument
from tracker.resources import data_dir

STATUS_FILE = "status.json"


def schema_dir() -> Path:
    return data_dir("events") / "schema"


def generate() -> dict[str, str]:
    """File name -> JSON text, one schema per event type."""
    out = {}
    for type_, cls in sorted(EVENT_CLASSES.items()):
        schema = cls.model_json_schema()
        schema["$id"] = f"https://tracker.invalid/events/{type_}.json"
        schema["x-schema-version"] = cls.schema_version
        out[f"{type_}.json"] = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    out[STATUS_FILE] = status_schema_text()
    out[SNAPSHOT_FILE] = snapshot_schema_text()
    return out


def status_schema_text() -> str:
    schema = StatusDocument.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://tracker.invalid/events/{STATUS_FILE}"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def stale(directory: Path | None = None) -> list[str]:
    """Names of schema files that are missing, outdated or no longer generated."""
    directory = directory or schema_dir()
    wanted = generate()
    present = {p.name for p in directory.glob("*.json")} if directory.is_dir() else set()
    names = [
        name
        for name, text in wanted.items()
        if name not in present or (directory / name).read_text(encoding="utf-8") != text
    ]
    return sorted(names + sorted(present - set(wanted)))


def write(directory: Path | None = None) -> list[str]:
    directory = directory or schema_dir()
    directory.mkdir(parents=True, exist_ok=True)
    changed = stale(directory)
    for name, text in generate().items():
        (directory / name).write_text(text, encoding="utf-8")
    for name in changed:
        if name not in generate():
            (directory / name).unlink()
    return changed

"""CSV: one row per event of the negotiation, every field, as a spreadsheet will read it.

Rows come from tracker.query.list_events (retractions and corrections applied); retracted
events are left out, as they are from the status. Lists are joined with "; ", evidence
sentences with " | ", and the full term and span detail is kept as JSON beside them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from tracker.events import NEGOTIATION_TYPES
from tracker.query import EventFilter, list_events
from tracker.store.base import EventStore

COLUMNS = (
    "position",
    "id",
    "date",
    "type",
    "actor",
    "person",
    "target",
    "via",
    "location",
    "modality",
    "condition",
    "attribution",
    "terms",
    "terms_detail",
    "evidence",
    "evidence_spans",
    "confidence",
    "negotiations",
    "article_id",
    "published",
    "occurred",
    "source_url",
    "state",
    "stream",
    "version",
    "recorded_at",
)

# A cell starting with one of these is run as a formula by spreadsheet programs; article text
# is untrusted, so such cells get a leading apostrophe (OWASP's advice for CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def event_rows(
    store: EventStore, negotiation: str | None, as_of: date | None = None
) -> list[dict[str, Any]]:
    """The negotiation's events in log order, dated on or before `as_of` when given."""
    where = EventFilter(types=NEGOTIATION_TYPES, negotiation=negotiation, until=as_of)
    return [row for row in list_events(store, where) if row["state"] != "retracted"]


def flat_row(row: dict[str, Any]) -> dict[str, str]:
    evidence = row.get("evidence") or []
    terms = row.get("terms") or []
    flat: dict[str, Any] = {
        **row,
        "via": "; ".join(row.get("via") or []),
        "negotiations": "; ".join(row.get("negotiations") or []),
        "terms": "; ".join(term["text"] for term in terms),
        "terms_detail": json.dumps(terms, ensure_ascii=False) if terms else "",
        "evidence": " | ".join(span["text"] for span in evidence),
        "evidence_spans": "; ".join(f"{span['start']}-{span['end']}" for span in evidence),
    }
    return {column: _cell(column, flat.get(column)) for column in COLUMNS}


def _cell(column: str, value: Any) -> str:
    text = "" if value is None else str(value)
    if column not in ("position", "version", "confidence") and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def render_csv(rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(flat_row(row))
    return out.getvalue()

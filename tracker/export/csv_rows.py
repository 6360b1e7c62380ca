"""CSV: one row per event of the negotiation, every field, as a spreadsheet will read it.

Rows come from tracker.query.list_events (retractions and corrections applied); retracted
events are left out, as they are from the status. Lists are joined with "; ", evidence
sentences with " | ", and the full term and span detail is kept as JSON beside them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from tracker.events import NEGOTIATION_TYPES
from tracker.query import EventFilter, list_events
from tracker.store.base import EventStore
from tracker.textsafe import printable

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
    "extractor",
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
_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?")


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
    return {column: _text(flat.get(column)) for column in COLUMNS}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def guard(value: str) -> str:
    """A cell a spreadsheet will show, not run: a formula start gets a leading apostrophe
    (numbers such as -1.5 stay numbers), and control characters show as escapes."""
    text = printable(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """The one CSV writer (export, `tracker list`, `tracker feeds list`): a fixed column set,
    every cell guarded; a row's missing fields are empty cells, extra ones are left out."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([guard(_text(row.get(column))) for column in columns])
    return out.getvalue()


def render_csv(rows: Iterable[dict[str, Any]]) -> str:
    """One row per event with every field (COLUMNS)."""
    return csv_text((flat_row(row) for row in rows), COLUMNS)

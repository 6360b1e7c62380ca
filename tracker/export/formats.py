"""The four export formats, by name: how each is rendered and the file extension it gets."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from tracker.export.build import build_overview, build_snapshot
from tracker.export.csv_rows import event_rows, render_csv
from tracker.export.html_page import render_html
from tracker.export.index_page import render_index
from tracker.export.markdown import render_markdown
from tracker.export.snapshot import Snapshot
from tracker.store.sqlite import SQLiteEventStore

FORMATS: dict[str, str] = {"json": "json", "md": "md", "html": "html", "csv": "csv"}


def render_json(snapshot: Snapshot) -> str:
    return json.dumps(snapshot.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def export_text(
    store: SQLiteEventStore,
    fmt: str,
    negotiation: str,
    as_of: date | None = None,
    now: datetime | None = None,
) -> str:
    if fmt == "csv":
        return render_csv(event_rows(store, negotiation, as_of))
    snapshot = build_snapshot(store, negotiation, as_of, now)
    renderers = {"json": render_json, "md": render_markdown, "html": render_html}
    return renderers[fmt](snapshot)


def write_all(
    store: SQLiteEventStore,
    negotiation: str,
    out_dir: Path,
    as_of: date | None = None,
    now: datetime | None = None,
) -> list[Path]:
    """Every format into out_dir as <negotiation>.<ext>; the paths written, in FORMATS order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    snapshot = build_snapshot(store, negotiation, as_of, now)
    texts = {
        "json": render_json(snapshot),
        "md": render_markdown(snapshot),
        "html": render_html(snapshot),
        "csv": render_csv(event_rows(store, negotiation, as_of)),
    }
    paths = []
    for fmt, ext in FORMATS.items():
        path = out_dir / f"{safe_stem(negotiation)}.{ext}"
        path.write_text(texts[fmt], encoding="utf-8", newline="")
        paths.append(path)
    return paths


def write_index(store: SQLiteEventStore, out_dir: Path, now: datetime | None = None) -> Path:
    """index.html in out_dir: every negotiation of the store, linking to <negotiation>.html."""
    out_dir.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now(UTC)
    path = out_dir / "index.html"
    text = render_index(build_overview(store, now.date()), now, file_link)
    path.write_text(text, encoding="utf-8", newline="")
    return path


def file_link(negotiation: str) -> str:
    """The page `write_all` writes for a negotiation, relative to index.html beside it."""
    return f"{safe_stem(negotiation)}.html"


def safe_stem(name: str) -> str:
    """A file name from a negotiation id: no path separators or leading dots."""
    stem = "".join(c if c.isalnum() or c in "-_." else "-" for c in name).lstrip(".")
    return stem or "negotiation"

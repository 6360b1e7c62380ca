"""Keep an export directory current (`tracker run --export-dir`): every format of each
negotiation plus index.html, each file replaced atomically (written beside it, then renamed),
so a reader or a web server never sees half a file."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from tracker.export import FORMATS
from tracker.export.formats import export_text, safe_stem, write_atomic
from tracker.export.index_page import render_index
from tracker.projections import readmodel
from tracker.store.sqlite import SQLiteEventStore

INDEX = "index.html"


def publish(
    store: SQLiteEventStore,
    out_dir: Path,
    negotiations: Iterable[str] | None = None,
    now: datetime | None = None,
) -> list[Path]:
    """Rewrite the named negotiations' files (all of them when None) and the index; the paths
    written, in order."""
    now = now or datetime.now(UTC)
    readmodel.catch_up(store)
    known = readmodel.negotiations(store)
    chosen = known if negotiations is None else [n for n in negotiations if n in known]
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in chosen:
        for fmt, ext in FORMATS.items():
            path = out_dir / f"{safe_stem(name)}.{ext}"
            write_atomic(path, export_text(store, fmt, name, now=now))
            written.append(path)
    statuses = [s for n in known if (s := readmodel.load_status(store, n)) is not None]
    pages = {n: f"{safe_stem(n)}.html" for n in known}
    index = out_dir / INDEX
    write_atomic(index, render_index(statuses, pages, now.date(), now))
    written.append(index)
    return written

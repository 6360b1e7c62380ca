"""The four export formats, by name: how each is rendered and the file extension it gets."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from tracker.defaults import RECENT
from tracker.export import FORMATS
from tracker.export.build import build_overview, build_snapshot
from tracker.export.csv_rows import event_rows, render_csv
from tracker.export.html_page import render_html
from tracker.export.index_page import render_index
from tracker.export.markdown import render_markdown
from tracker.export.snapshot import Snapshot
from tracker.slugs import is_slug
from tracker.store.base import EventStore

INDEX = "index.html"


def render_json(snapshot: Snapshot) -> str:
    return json.dumps(snapshot.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def export_text(
    store: EventStore,
    fmt: str,
    negotiation: str,
    as_of: date | None = None,
    now: datetime | None = None,
    limit: int | None = RECENT,
) -> str:
    if fmt == "csv":
        return render_csv(event_rows(store, negotiation, as_of))
    snapshot = build_snapshot(store, negotiation, as_of, now, limit)
    renderers = {"json": render_json, "md": render_markdown, "html": render_html}
    return renderers[fmt](snapshot)


def write_all(
    store: EventStore,
    negotiation: str,
    out_dir: Path,
    as_of: date | None = None,
    now: datetime | None = None,
    limit: int | None = RECENT,
) -> list[Path]:
    """Every format into out_dir as <negotiation>.<ext>; the paths written, in FORMATS order.
    The snapshot formats hold the last `limit` timeline entries; CSV holds every event."""
    out_dir.mkdir(parents=True, exist_ok=True)
    snapshot = build_snapshot(store, negotiation, as_of, now, limit)
    texts = {
        "json": render_json(snapshot),
        "md": render_markdown(snapshot),
        "html": render_html(snapshot),
        "csv": render_csv(event_rows(store, negotiation, as_of)),
    }
    stem = safe_stem(negotiation)
    paths = []
    for fmt, ext in FORMATS.items():
        path = out_dir / f"{stem}.{ext}"
        write_atomic(path, texts[fmt])
        paths.append(path)
    return paths


def write_index(store: EventStore, out_dir: Path, now: datetime | None = None) -> Path:
    """index.html in out_dir: every negotiation of the store, linking to <negotiation>.html."""
    out_dir.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now(UTC)
    path = out_dir / INDEX
    write_atomic(path, render_index(build_overview(store, now.date()), now, file_link))
    return path


def file_link(negotiation: str) -> str:
    """The page `write_all` writes for a negotiation, relative to index.html beside it."""
    return f"{safe_stem(negotiation)}.html"


def write_atomic(path: Path, text: str) -> None:
    """Write a temporary file beside `path`, then rename it over `path`: a reader, or a crash,
    sees the old file or the new one, never half of one."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        path.write_text(text, encoding="utf-8")  # /dev/stdout, a link: write through it
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; an export is for others to read
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def safe_stem(name: str) -> str:
    """A file name from a negotiation id. A slug is its own name (slugs are distinct, short
    and safe); anything else a store may hold from before ids were checked is reduced to
    safe characters, bounded, and given a hash of the id, so two ids never share a file."""
    if is_slug(name):
        return name
    kept = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in name)
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{kept.strip('-')[:48] or 'negotiation'}-{digest}"

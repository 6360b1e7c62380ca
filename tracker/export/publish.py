"""Keep an export directory current (`tracker run --export-dir`): every format of each
negotiation plus index.html, each file replaced atomically (formats.write_atomic: written
beside it, then renamed), so a reader or a web server never sees half a file. The index is
the one of `tracker export --out-dir` (formats.write_index, index_page.render_index)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from tracker.export.formats import INDEX, write_all, write_index
from tracker.projections import readmodel
from tracker.store.base import EventStore

__all__ = ["INDEX", "publish"]


def publish(
    store: EventStore,
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
    written = []
    for name in chosen:  # the same files as `tracker export --out-dir`
        written += write_all(store, name, out_dir, now=now)
    written.append(write_index(store, out_dir, now))
    return written

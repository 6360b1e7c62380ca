"""Export a negotiation's status snapshot as JSON, Markdown, a self-contained HTML page or CSV."""

from tracker.export.formats import FORMATS, export_text, write_all
from tracker.export.snapshot import Snapshot

__all__ = ["FORMATS", "Snapshot", "export_text", "write_all"]

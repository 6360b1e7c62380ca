"""Export a negotiation's status snapshot as JSON, Markdown, a self-contained HTML page or CSV.

The renderers are in tracker/export/formats.py; this file holds only the names of the formats,
so that `tracker export --help` lists them without loading the renderers.
"""

FORMATS: dict[str, str] = {"json": "json", "md": "md", "html": "html", "csv": "csv"}  # -> extension

"""What every command shares: the Typer app, the --db option, output in table/json/csv."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.segment import Segment
from typer._click.globals import get_current_context  # typer ships its own click

from tracker.cli.root import app as app  # the command modules take the root app from here
from tracker.cli.table import render
from tracker.errors import UsageError
from tracker.store import EventStore, SQLiteEventStore, is_url, open_recorder, open_store
from tracker.textsafe import printable


class SafeConsole(Console):
    """A console that shows control characters in the text it prints as escapes (see
    tracker/textsafe.py), whatever the renderable: plain lines, tables, wrapped text. Rich's
    own styling is added after this step, so colours still work."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            s if s.control else Segment(printable(s.text), s.style, s.control) for s in buffer
        )


console = SafeConsole(soft_wrap=False)
err_console = SafeConsole(stderr=True)

DEFAULT_DB = "tracker.db"
NO_WRAP = {"#", "id", "type", "modality", "date"}
# A str, not a Path: a Path would fold the // of a postgresql:// URL.
DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="TRACKER_DB",
        help="SQLite store file or postgresql:// URL (env TRACKER_DB).",
    ),
]


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def recorder_for(db: str, create: bool = True, write: bool = True) -> EventStore:
    """The store on any backend: its log, and the read models beside it (status, timeline,
    search). write=False for the commands that only read: a SQLite store on a read-only file
    or folder works (read as a copy in memory)."""
    return open_recorder(db, create=create, write=write)


def sqlite_store_for(db: str, create: bool = True, write: bool = True) -> SQLiteEventStore:
    """A SQLite store, for the commands made for SQLite's own tools (datasette-metadata)."""
    return open_store(sqlite_only(db), create=create, write=write)


def sqlite_only(db: str) -> Path:
    """The SQLite file named by --db; a PostgreSQL URL is refused in one line."""
    if is_url(db):
        command = get_current_context(silent=True)
        name = command.command_path if command else "this command"
        raise UsageError(f"{name} works on a SQLite store file only, not on PostgreSQL")
    return Path(db)


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} must be a date YYYY-MM-DD, got {value!r}") from None


def choice(value: str, valid: Sequence[str], what: str) -> str:
    """Validate against a list and say all the valid choices in one line."""
    if value not in valid:
        raise UsageError(f"unknown {what} {value!r}; valid: {', '.join(valid)}")
    return value


def emit(
    rows: Sequence[dict[str, Any]],
    fmt: OutputFormat,
    columns: Sequence[str],
    csv_columns: Sequence[str] | None = None,
) -> None:
    """Print rows for people (a rich table) or for scripts (JSON; CSV with a fixed column
    set, `csv_columns` or else `columns`, through the export's guarded writer)."""
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(list(rows), indent=2, ensure_ascii=False, default=str) + "\n")
    elif fmt is OutputFormat.csv:
        from tracker.export.csv_rows import csv_text  # here: it loads the event models

        flat = [{k: _flat(v) for k, v in row.items()} for row in rows]
        sys.stdout.write(csv_text(flat, csv_columns or columns))
    else:
        cells = [[_flat(row.get(column)) for column in columns] for row in rows]
        for line in render(cells, columns, console.width, keep=NO_WRAP):
            sys.stdout.write(line + "\n")


UNREGISTERED_NOTE = "* not in the actor registry: `tracker actors add NAME` names it for good"


def starred(name: str | None, unregistered: Sequence[str]) -> str:
    """A party's name in a table, with a star when the registry does not know it."""
    if not name:
        return ""
    return f"{name}*" if name in unregistered else name


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class Quiet:
    """`tracker --quiet`: no lines for people on stderr, only errors and the data on stdout."""

    on = False


def say(message: str) -> None:
    """A line for people, on stderr so stdout stays clean for JSON and CSV."""
    if not Quiet.on:
        err_console.print(message, highlight=False, soft_wrap=True)


def _show_version(value: bool) -> None:
    if value:
        from tracker import __version__

        sys.stdout.write(f"tracker {__version__}\n")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="Only errors and the output itself: no progress or notes."
        ),
    ] = False,
) -> None:
    """Event-sourced timeline tracker for ongoing negotiations.

    Example: tracker --quiet poll --json
    """
    Quiet.on = quiet


def lines(items: Iterable[str]) -> str:
    return "\n".join(items)

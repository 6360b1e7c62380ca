"""What every command shares: the Typer app, the --db option, output in table/json/csv."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from typer._click.globals import get_current_context  # typer ships its own click

from tracker.errors import UsageError
from tracker.store import EventStore, SQLiteEventStore, is_url, open_recorder, open_store

app = typer.Typer(
    name="tracker",
    help="Event-sourced timeline tracker for ongoing negotiations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

console = Console(soft_wrap=False)
err_console = Console(stderr=True)

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


def recorder_for(db: str, create: bool = True) -> EventStore:
    """The log on any backend, for the commands that only append and read events."""
    return open_recorder(db, create=create)


def store_for(db: str, create: bool = True) -> SQLiteEventStore:
    """A SQLite store, for the commands that read the projections' tables (status, timeline,
    diff, rebuild, export): on PostgreSQL the read models are not there yet."""
    return open_store(sqlite_only(db), create=create)


def sqlite_only(db: str) -> Path:
    """The SQLite file named by --db; a PostgreSQL URL is refused in one line."""
    if is_url(db):
        command = get_current_context(silent=True)
        name = command.command_path if command else "this command"
        raise UsageError(
            f"{name} needs a SQLite store for now; on PostgreSQL the tracker keeps the log "
            "and the feeds (init, ingest, add, list, retract, correct, verify, feeds, poll, run)"
        )
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


def emit(rows: Sequence[dict[str, Any]], fmt: OutputFormat, columns: Sequence[str]) -> None:
    """Print rows for people (a rich table) or for scripts (JSON, CSV with every column)."""
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(list(rows), indent=2, ensure_ascii=False, default=str) + "\n")
    elif fmt is OutputFormat.csv:
        keys = list(rows[0]) if rows else list(columns)
        writer = csv.DictWriter(sys.stdout, fieldnames=keys, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _flat(v) for k, v in row.items()})
    else:
        # No vertical rules, so eight columns fit a terminal of 80.
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False, padding=(0, 1, 0, 0))
        for column in columns:
            table.add_column(column, overflow="fold", no_wrap=column in NO_WRAP)
        for row in rows:
            table.add_row(*(_flat(row.get(column)) for column in columns))
        console.print(table)


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def say(message: str) -> None:
    """A line for people, on stderr so stdout stays clean for JSON and CSV."""
    err_console.print(message, highlight=False, soft_wrap=True)


def lines(items: Iterable[str]) -> str:
    return "\n".join(items)

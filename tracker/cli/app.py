"""Entry point of the `tracker` console script.

Commands load lazily: a command's module is imported only when that command runs, so
`tracker --help`, `status` or `list` never import extraction (and its parser model), feeds,
HTTP or export (tracker/cli/lazy.py; tests/test_cli_startup.py checks the import graph).

To add a command: register it in its module under tracker/cli/ with `@app.command()` on
`tracker.cli.common.app` (or `app.add_typer(...)` for a group), and add one line to COMMANDS:
its name, its module, and the first paragraph of its help as `tracker --help` lists it. The
table's order is the --help order; tests/test_cli_startup.py checks the table against what the
modules register.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from typer._click import exceptions as cli_errors  # typer ships its own click; these are its errors

from tracker.cli import common as _common  # noqa: F401  (the root options: --version, --quiet)
from tracker.cli import lazy
from tracker.cli.lazy import LazyCommand as Command
from tracker.cli.root import app
from tracker.errors import TrackerError, UsageError

if TYPE_CHECKING:
    from pydantic import ValidationError

COMMANDS = (
    Command("init", "store_cmds", "Create the store, or bring its schema up to date."),
    Command(
        "add",
        "store_cmds",
        "Add an analyst's event by hand. The same event added twice is stored once.",
    ),
    Command(
        "list",
        "store_cmds",
        "List stored events in log order, with retractions and corrections shown.",
    ),
    Command("retract", "store_cmds", "Retract an event. The log keeps it; projections drop it."),
    Command(
        "correct",
        "store_cmds",
        "Correct fields of an event by appending a correction. The original stays in the log.",
    ),
    Command(
        "verify",
        "store_cmds",
        "Walk the hash chain of the whole log, run SQLite's integrity check and check the append-"
        "only triggers; exit 1 and name the first problem. A store that fails refuses writes "
        "until it passes again. Works on a read-only store.",
    ),
    Command(
        "schema",
        "store_cmds",
        "Regenerate the JSON Schemas in events/schema/ from the event models.",
    ),
    Command("extract", "extract_cmds", "Print the events an article states; stores nothing."),
    Command(
        "ingest",
        "extract_cmds",
        "Extract and store articles, one transaction each; an article already stored adds nothing.",
    ),
    Command(
        "eval",
        "extract_cmds",
        "Score extraction against gold: P/R/F1 overall and per type, modality and target accuracy"
        " on matched pairs, and a STRICT row (target when the gold has one, and modality).",
    ),
    Command(
        "status",
        "status_cmds",
        "The deal status: phase, proposals and responses, demands, threats, next steps, "
        "positions, expectations, and the last change with its source. With no negotiation "
        "named and several in the store (or with --all): today's overview, one block per "
        "negotiation (phase, last change, open threats, next step, sources), as on the export's"
        " index page.",
    ),
    Command(
        "timeline",
        "status_cmds",
        "The timeline: one entry per happening, with how many independent sources told it and "
        "each evidence line. The last 100 entries by default; --limit N, --since DAY or --all for"
        " the rest.",
    ),
    Command(
        "diff",
        "status_cmds",
        "What changed in the status since a day, line by line (- gone, + new).",
    ),
    Command(
        "rebuild",
        "status_cmds",
        "Empty the read models (status, timeline) and replay the whole log into them.",
    ),
    Command("export", "export_cmds", "Export the status and timeline of a negotiation to hand on."),
    Command(
        "poll",
        "feeds_cmds",
        "Poll every subscribed feed once (or one feed) and ingest the new entries. Exits 1 when a"
        " feed failed.",
    ),
    Command(
        "run",
        "feeds_cmds",
        "Run the scheduler: poll each feed at its interval until SIGINT or SIGTERM, which let the"
        " poll in hand finish. One scheduler per store; feeds added meanwhile are picked up.",
    ),
    Command("actors", "extract_cmds", "The actor registry: canonical names, aliases, demonyms."),
    Command("feeds", "feeds_cmds", "Subscribe to RSS/Atom feeds, list them, remove them."),
    Command(
        "head",
        "store_cmds",
        "Print the log's head as POSITION:HASH. Keep it somewhere else (a note, a ticket, the "
        "exported snapshot, which carries it too): `tracker verify --expect POSITION:HASH` later "
        "proves that the log still extends it, so cutting or rewriting the log is caught.",
    ),
    Command(
        "datasette-metadata",
        "sql_cmds",
        "Print Datasette metadata (JSON) describing every table, view and column of the store.",
    ),
    Command(
        "negotiations",
        "userdata_cmds",
        "Negotiations: the seeds' defaults and your own, kept in the store.",
    ),
    Command(
        "reextract",
        "userdata_cmds",
        "Run the current extractor over the stored articles and append the difference: events no "
        'longer found are retracted ("superseded by extractor X"), new ones appended. After '
        "`tracker actors add` or `tracker negotiations add`, this is how missed events come in.",
    ),
    Command(
        "search",
        "userdata_cmds",
        "Full-text search over the stored articles and the evidence of their events (retracted "
        "events are not found).",
    ),
    Command(
        "serve",
        "serve_cmds",
        "A read-only dashboard in the browser: the index of negotiations, each one's status, "
        "visual timeline and events (filters by party, type, modality and date; an as-of day), and"
        " a JSON API: /api/negotiations, /api/negotiations/NEG/status|timeline|diff. New events "
        "show on the next request; nothing is ever written to the store.",
    ),
)
# The modules, in table order (each registers several commands when imported).
COMMAND_MODULES = tuple(dict.fromkeys(command.module for command in COMMANDS))


def command() -> lazy.LazyGroup:
    """The `tracker` click group; its commands load when looked up."""
    return lazy.group(app, COMMANDS)


def check_environment() -> None:
    """Settings read from the environment are input too: refuse one that cannot mean what it
    says, rather than ignore it (the registry would silently skip a folder)."""
    actors = os.environ.get("TRACKER_ACTORS")
    if actors and Path(actors).exists() and not Path(actors).is_file():
        raise UsageError(f"TRACKER_ACTORS={actors} is not a file; point it at a TOML file")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI. Expected failures print one line (`error: ...`) and a non-zero exit code;
    no traceback reaches the user."""
    try:
        check_environment()
        result = command().main(
            args=sys.argv[1:] if argv is None else argv, prog_name="tracker", standalone_mode=False
        )
    except TrackerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except cli_errors.NoArgsIsHelpError as exc:
        if exc.ctx is not None:
            print(exc.ctx.get_help())
        return 0
    except cli_errors.UsageError as exc:
        print(f"error: {exc.format_message()}", file=sys.stderr)
        return 2
    except cli_errors.ClickException as exc:
        print(f"error: {exc.format_message()}", file=sys.stderr)
        return exc.exit_code
    except typer.Abort:
        print("error: aborted", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except sqlite3.DatabaseError as exc:  # met mid-command, past the checks at open
        problem = "read-only" if "readonly" in str(exc) else "damaged or unreadable"
        print(f"error: the store is {problem} ({exc}); see `tracker verify`", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug, not bad input: still one line, the trace on request
        refused = _validation_error(exc)
        if refused is not None:  # a model at the edge refused a value: name the field
            first = refused.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or refused.title
            print(f"error: invalid {refused.title} field {where}: {first['msg']}", file=sys.stderr)
            return 2
        if os.environ.get("TRACKER_DEBUG"):
            raise
        print(
            f"error: unexpected {type(exc).__name__}: {exc} (TRACKER_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return 1
    return result if isinstance(result, int) else 0


def _validation_error(exc: Exception) -> ValidationError | None:
    """The exception as pydantic's ValidationError, if it is one. Asked of sys.modules: a
    command that never loaded pydantic (--help, status) cannot have raised one, and importing
    pydantic only to be sure would cost every command a tenth of a second."""
    pydantic = sys.modules.get("pydantic")
    refused: type[ValidationError] | None = getattr(pydantic, "ValidationError", None)
    return exc if refused is not None and isinstance(exc, refused) else None


if __name__ == "__main__":
    sys.exit(main())

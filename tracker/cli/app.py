"""Entry point of the `tracker` console script."""

from __future__ import annotations

import importlib
import os
import sqlite3
import sys
from pathlib import Path

import typer
from pydantic import ValidationError
from typer._click import exceptions as cli_errors  # typer ships its own click; these are its errors

from tracker.cli.common import app
from tracker.errors import TrackerError, UsageError

# Each module registers its commands on `app` when imported; this order is the --help order.
COMMAND_MODULES = (
    "store_cmds",
    "extract_cmds",
    "status_cmds",
    "export_cmds",
    "feeds_cmds",
    "sql_cmds",
    "userdata_cmds",
)
for _module in COMMAND_MODULES:
    importlib.import_module(f"tracker.cli.{_module}")


def check_environment() -> None:
    """Settings read from the environment are input too: refuse one that cannot mean what it
    says, rather than ignore it (the registry would silently skip a folder)."""
    actors = os.environ.get("TRACKER_ACTORS")
    if actors and Path(actors).exists() and not Path(actors).is_file():
        raise UsageError(f"TRACKER_ACTORS={actors} is not a file; point it at a TOML file")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI. Expected failures print one line (`error: ...`) and a non-zero exit code;
    no traceback reaches the user."""
    command = typer.main.get_command(app)
    try:
        check_environment()
        result = command.main(
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
    except ValidationError as exc:  # a model at the edge refused a value: name the field
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or exc.title
        print(f"error: invalid {exc.title} field {where}: {first['msg']}", file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as exc:  # met mid-command, past the checks at open
        problem = "read-only" if "readonly" in str(exc) else "damaged or unreadable"
        print(f"error: the store is {problem} ({exc}); see `tracker verify`", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug, not bad input: still one line, the trace on request
        if os.environ.get("TRACKER_DEBUG"):
            raise
        print(
            f"error: unexpected {type(exc).__name__}: {exc} (TRACKER_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return 1
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Entry point of the `tracker` console script."""

from __future__ import annotations

import importlib
import os
import sys

import typer
from typer._click import exceptions as cli_errors  # typer ships its own click; these are its errors

from tracker.cli.common import app
from tracker.errors import TrackerError

# Each module registers its commands on `app` when imported; this order is the --help order.
COMMAND_MODULES = (
    "store_cmds",
    "extract_cmds",
    "status_cmds",
    "export_cmds",
    "feeds_cmds",
    "serve_cmds",
)
for _module in COMMAND_MODULES:
    importlib.import_module(f"tracker.cli.{_module}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI. Expected failures print one line (`error: ...`) and a non-zero exit code;
    no traceback reaches the user."""
    command = typer.main.get_command(app)
    try:
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

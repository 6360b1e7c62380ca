"""The root Typer app that every command module registers on (`@app.command()`).

It holds no command and imports nothing heavy, so that `tracker --help` loads no command
module; tracker/cli/app.py lists the commands and their modules.
"""

from __future__ import annotations

import typer

from tracker.cli.lazy import LazyGroup

app = typer.Typer(
    name="tracker",
    help="Event-sourced timeline tracker for ongoing negotiations.",
    cls=LazyGroup,
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

"""A command group that imports a command's module only when that command runs.

`tracker --help` lists every command from a table kept as data (name, module, the one-line
help), so listing them imports no command module, and `tracker status` imports the status
commands and nothing of extraction, feeds or export. A command module registers its commands
on the root Typer app as usual (`@app.command()`); the group builds a command from that
registration the first time it is looked up.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Iterator, MutableMapping, Sequence
from typing import NamedTuple

import typer
from typer import _click  # typer ships its own click; its commands are of these classes
from typer.core import TyperCommand, TyperGroup

from tracker.cli import coerce

PACKAGE = "tracker.cli"


class LazyCommand(NamedTuple):
    name: str
    module: str  # under tracker.cli
    help: str  # the first paragraph of the command's help: what `tracker --help` lists


class LazyCommands(MutableMapping[str, _click.Command]):
    """A group's commands by name. Iterating gives the names in table order and imports
    nothing; looking a name up imports its module and builds that one command."""

    def __init__(self, app: typer.Typer, table: Sequence[LazyCommand]) -> None:
        self.app = app
        self.rows = {row.name: row for row in table}
        self.loaded: dict[str, _click.Command] = {}

    def __getitem__(self, name: str) -> _click.Command:
        if name not in self.loaded:
            row = self.rows[name]  # KeyError: click's `.get` answers None, "No such command"
            importlib.import_module(f"{PACKAGE}.{row.module}")
            self.loaded[name] = coerce.install(build(self.app, name, row.module))
        return self.loaded[name]

    def __setitem__(self, name: str, command: _click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self.rows.pop(name, None)
        self.loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        yield from self.rows
        yield from (name for name in self.loaded if name not in self.rows)

    def __len__(self) -> int:
        return len(self.rows.keys() | self.loaded.keys())

    def listed(self, name: str) -> _click.Command:
        """The command if it is loaded, else a stand-in carrying the table's help."""
        if name in self.loaded:
            return self.loaded[name]
        return TyperCommand(name=name, help=self.rows[name].help)


class LazyGroup(coerce.PlainHelp, TyperGroup):
    """A TyperGroup whose listing reads the table instead of importing every command."""

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return list(self.commands)  # TyperGroup's reads `.items()`, which imports them all

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        if not isinstance(self.commands, LazyCommands):
            return super().format_commands(ctx, formatter)
        # TyperGroup.format_commands (click's) with `listed` in place of `get_command`.
        commands = [(name, self.commands.listed(name)) for name in self.list_commands(ctx)]
        commands = [(name, command) for name, command in commands if not command.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            rows = [(name, command.get_short_help_str(limit)) for name, command in commands]
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def group(app: typer.Typer, table: Sequence[LazyCommand]) -> LazyGroup:
    """The click group of `app` (created with cls=LazyGroup) whose commands load lazily."""
    root = typer.main.get_command(app)  # with the completion options when the app adds them
    assert isinstance(root, LazyGroup), "create the app with typer.Typer(cls=LazyGroup)"
    root.commands = LazyCommands(app, table)
    coerce.install(root)  # its own options (--version, --quiet, completion)
    return root


def build(app: typer.Typer, name: str, module: str) -> _click.Command:
    """The click command `name` from what its module registered on `app`."""
    for info in app.registered_commands:
        assert info.callback is not None
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
            if info.cls in (None, TyperCommand):  # Typer's own: with the plain --help
                info = copy.copy(info)
                info.cls = coerce.PlainCommand
            return typer.main.get_command_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
    for group_info in app.registered_groups:
        sub = typer.main.get_group_from_info(
            group_info,
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=app.rich_markup_mode,
            suggest_commands=app.suggest_commands,
        )
        if sub.name == name:
            return sub
    raise LookupError(f"{PACKAGE}.{module} registers no command {name!r}")

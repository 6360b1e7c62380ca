"""Coercion of well-formed option values without pydantic.

Typer coerces every parameter through a pydantic TypeAdapter, built the first time the
parameter is processed, even when it is left at its default: importing pydantic and building
those adapters cost `tracker status` or `tracker list` about a tenth of a second, more than
the rest of the command. For the plain types of our options (str, int, float, bool, a StrEnum,
a list of str), a value that is already well formed is coerced here to exactly what the
adapter would give; any other value (a malformed number, an unknown choice, a number out of
range, another type) goes to Typer's own adapter, so its errors and messages are unchanged
(tests/test_cli_coerce.py compares the two).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any, get_args, get_origin

from typer import _click  # typer ships its own click
from typer._coercion import RuntimeParam, build_runtime_param
from typer.core import TyperCommand, _TyperParameter

INTEGER = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")  # what int() and pydantic read alike
MISS = object()  # not well formed here: Typer's adapter decides


@dataclass(frozen=True)
class PlainParam(RuntimeParam):
    """A parameter's coercion: the plain path for well-formed values, else Typer's."""

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: _click.Context) -> Any:
        plain = self.well_formed(value, ctx)
        if plain is not MISS:
            return plain
        return build_runtime_param(param.type_descriptor)._coerce_value(value, param, ctx)

    def well_formed(self, value: Any, ctx: _click.Context) -> Any:
        kind: Any = self.annotation
        if self.parameter_info.parser is not None:
            return MISS
        if get_origin(kind) is list and get_args(kind) == (str,):
            ok = isinstance(value, list | tuple) and all(type(v) is str for v in value)
            return list(value) if ok else MISS
        if kind is str:
            return value if type(value) is str else MISS
        if kind is bool:
            return value if type(value) is bool else MISS
        if kind is int or kind is float:
            if type(value) is str and kind is int and INTEGER.fullmatch(value):
                value = int(value)
            return value if type(value) is kind and self.in_range(value) else MISS
        if isinstance(kind, type) and issubclass(kind, Enum):
            return self.member(kind, value, ctx)
        return MISS

    def in_range(self, number: float) -> bool:
        low, high = self.parameter_info.min, self.parameter_info.max
        return (low is None or number >= low) and (high is None or number <= high)

    def member(self, kind: type[Enum], value: Any, ctx: _click.Context) -> Any:
        """The member named by its exact value (case-sensitive, no token normalising)."""
        if isinstance(value, kind):
            return value
        if not self.parameter_info.case_sensitive or ctx.token_normalize_func is not None:
            return MISS
        for member in kind:
            if type(value) is str and str(member.value) == value:
                return member
        return MISS


def install(command: _click.Command) -> _click.Command:
    """Give each Typer parameter of the command (and of a group's commands, when they are
    built already: the root's load lazily and get theirs as they load) the plain path. The
    --help of a group's commands stays Typer's (they are built by Typer, not lazy.build)."""
    for param in command.params:
        plain(param)
    subcommands = getattr(command, "commands", None)
    if isinstance(subcommands, dict):
        for sub in subcommands.values():
            install(sub)
    return command


def plain(param: _click.Parameter) -> None:
    if isinstance(param, _TyperParameter) and param._runtime_param is None:
        described = param.type_descriptor
        param._runtime_param = PlainParam(described.parameter_info, described.annotation)


class PlainHelp(_click.Command):
    """A command whose --help option (made by click when the command first parses, from the
    context's option names) gets the plain path too."""

    def get_help_option(self, ctx: _click.Context) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            plain(option)
        return option


class PlainCommand(PlainHelp, TyperCommand):
    """Typer's command, with the plain path for its --help (lazy.build makes every command
    of the table one)."""

"""tracker/cli/coerce.py gives every option value what Typer's own pydantic adapter gives, and
Typer's error for any value it does not take."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer._coercion import build_runtime_param
from typer.core import _TyperParameter

from tracker.cli.app import command
from tracker.cli.coerce import MISS, PlainParam

VALUES: list[Any] = [
    None, "", "x", "12", "-3", "0", "007", "1_000", " 5", "2.5", "inf", "table", "json", "TEXT",
    "md", 0, 1, 8, 65, -1, 20.0, 0.05, True, False, ("a", "b"), ["c"], (), (1,), b"bytes",
]  # fmt: skip
COMMANDS = ("status", "list", "timeline", "poll", "init", "add", "feeds")


def params() -> list[tuple[str, _TyperParameter, typer.Context]]:
    found = []
    group = command()
    for name in COMMANDS:
        cmd = group.commands[name]
        for sub in [cmd, *getattr(cmd, "commands", {}).values()]:
            ctx = typer.Context(sub, info_name=name)
            found += [(f"{name} {p.name}", p, ctx) for p in sub.get_params(ctx)]
    # A group's subcommands are Typer's own commands: their --help is Typer's, not ours.
    return [
        (n, p, c)
        for n, p, c in found
        if isinstance(p, _TyperParameter) and not (n.startswith("feeds ") and p.name == "help")
    ]


def outcome(coerce: Any, value: Any, param: _TyperParameter, ctx: typer.Context) -> Any:
    try:
        result = coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # the error itself must be the same one
        return ("error", type(exc).__name__, str(exc))
    return ("value", type(result).__name__, result)


@pytest.mark.parametrize(("name", "param", "ctx"), params(), ids=lambda v: v)
def test_the_plain_path_coerces_as_typer_does(
    name: str, param: _TyperParameter, ctx: typer.Context
) -> None:
    assert isinstance(param.get_runtime_param(), PlainParam), name
    typer_own = build_runtime_param(param.type_descriptor)
    plain = param.get_runtime_param()
    taken = 0
    for value in VALUES:
        if value is None or (param.multiple and isinstance(value, str)):
            continue  # RuntimeParam.coerce answers these before any adapter
        assert outcome(plain._coerce_value, value, param, ctx) == outcome(
            typer_own._coerce_value, value, param, ctx
        ), f"{name} = {value!r}"
        taken += plain.well_formed(value, ctx) is not MISS
    assert taken, f"{name}: no value took the plain path"

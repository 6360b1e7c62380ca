"""Every command, in every group, has --help with an example."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from tests.conftest import CliResult
from tracker.cli.app import command


def command_paths() -> Iterator[list[str]]:
    def walk(command: object, path: list[str]) -> Iterator[list[str]]:
        children = getattr(command, "commands", None)
        if children:
            for name, child in children.items():
                yield from walk(child, [*path, name])
        elif path:
            yield path

    yield from walk(command(), [])


def test_every_command_has_help_with_an_example(cli: Callable[..., CliResult]) -> None:
    paths = list(command_paths())
    assert len(paths) >= 20  # walking `.commands` loads every module
    for path in paths:
        result = cli(*path, "--help", db=None)
        assert result.code == 0, path
        assert "Example" in result.out, f"`tracker {' '.join(path)} --help` shows no example"

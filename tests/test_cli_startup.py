"""Start-up: a command imports only what it uses (the import graph, not a time), and the lazy
command table says what the command modules register."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from tracker.cli.app import COMMANDS, command
from tracker.cli.common import app

ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = ROOT / "seeds" / "000_46a520fc1d27543f.txt"
HEAVY = (
    "spacy",
    "httpx",
    "trafilatura",
    "feedparser",
    "apscheduler",
    "sqlite_utils",
    "numpy",
    "jsonschema",
    "psycopg",  # only for a postgresql:// --db (tracker/store/__init__.py)
    "tracker.store.postgres",
    "tracker.extract",
    "tracker.feeds",
    "tracker.export.formats",
    "tracker.schema",
    "tracker.scheduler",
    "tracker.projections",
    "tracker.projections.fold",  # `status` on a store with nothing new to fold reads rows only
    "tracker.projections.readmodel",
    "typer._adapters",  # Typer's pydantic coercion: well-formed options need none (cli/coerce.py)
    "tracker.export",  # `status NEGOTIATION` renders its own brief; the overview is the export's
    "tracker.notify",
    "pydantic",  # Typer coerces options through it; `tracker --help` needs none
    "tracker.events",  # built lazily (defer_build), but `--help` should not even import them
    "tracker.cli.extract_cmds",
    "tracker.cli.feeds_cmds",
    "tracker.cli.export_cmds",
    "tracker.serve",
    "starlette",
    "uvicorn",
)
# What each command may load beyond the CLI itself, among HEAVY.
MODELS = {"pydantic"}  # a command that reads the status or events as pydantic models
DECODES = {*MODELS, "tracker.events"}  # a command that reads events as models
FOLD = {"tracker.projections", "tracker.projections.fold", "tracker.projections.readmodel"}
ALLOWED: dict[str, set[str]] = {
    "--help": set(),
    "status": {"tracker.projections", *MODELS},  # the stored status, no event models
    "list": DECODES,
    "timeline": {"tracker.projections", *DECODES},
    "verify": DECODES,
    "export --help": {"tracker.cli.export_cmds", "tracker.export", *FOLD, *MODELS},
    "extract --help": {"tracker.cli.extract_cmds", *DECODES},
    "serve --help": set(),  # the dashboard's server libraries load only when it runs
    # The feed commands still import the poller (httpx, feedparser) with their module.
    "feeds --help": {
        "tracker.cli.feeds_cmds",
        "tracker.feeds",
        "httpx",
        "feedparser",
        *FOLD,
        "tracker.notify",
        *DECODES,
    },
}
PROBE = """
import json, sys
from tracker.cli.app import main
code = main(sys.argv[1:])
heavy = json.loads({heavy!r})
loaded = sorted(h for h in heavy if any(m == h or m.startswith(h + ".") for m in sys.modules))
print(json.dumps({{"code": code, "loaded": loaded}}))
"""


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("startup") / "tracker.db"
    for args in (["init"], ["ingest", str(SEED_ARTICLE)]):
        subprocess.run(
            [sys.executable, "-m", "tracker.cli.app", *args, "--db", str(db)],
            check=True,
            capture_output=True,
        )
    return db


def loaded_by(args: list[str], db: Path) -> tuple[int, set[str]]:
    """Run `tracker ARGS` in a fresh interpreter; the HEAVY modules it imported."""
    db_args = [] if "--help" in args else ["--db", str(db)]
    probe = PROBE.format(heavy=json.dumps(HEAVY))
    result = subprocess.run(
        [sys.executable, "-c", probe, *args, *db_args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return report["code"], set(report["loaded"])


@pytest.mark.parametrize("line", sorted(ALLOWED))
def test_a_command_imports_only_what_it_uses(line: str, seeded: Path) -> None:
    code, loaded = loaded_by(line.split(), seeded)
    assert code == 0
    assert loaded <= ALLOWED[line], f"`tracker {line}` imported {sorted(loaded - ALLOWED[line])}"


def registered_modules() -> dict[str, str]:
    """Every command and group registered on the root app, with the module that holds it."""
    for row in COMMANDS:
        command().commands[row.name]  # a look-up imports the command's module
    modules: dict[str, str] = {}
    for info in app.registered_commands:
        assert info.callback is not None
        name = info.name or typer.main.get_command_name(info.callback.__name__)
        modules[name] = info.callback.__module__
    for group in app.registered_groups:
        assert group.typer_instance is not None and isinstance(group.name, str)
        callback = group.typer_instance.registered_commands[0].callback
        assert callback is not None
        modules[group.name] = callback.__module__
    return modules


def test_the_table_names_every_registered_command_and_its_module() -> None:
    table = {row.name: f"tracker.cli.{row.module}" for row in COMMANDS}
    assert len(table) == len(COMMANDS)
    assert table == registered_modules()


@pytest.mark.parametrize("width", [80, 60, 200])
def test_help_lists_from_the_table_exactly_as_the_commands_would(width: int) -> None:
    registered_modules()
    eager = typer.main.get_command(app)  # every command built, as before lazy loading
    assert isinstance(eager, typer.core.TyperGroup)
    eager.commands = {row.name: eager.commands[row.name] for row in COMMANDS}
    lazy = command()
    assert lazy.commands.keys() == eager.commands.keys()
    as_listed = lazy.get_help(typer.Context(lazy, info_name="tracker", terminal_width=width))
    as_built = eager.get_help(typer.Context(eager, info_name="tracker", terminal_width=width))
    assert as_listed == as_built

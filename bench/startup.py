"""Whole-process start-up of `tracker` commands, beside `python -c pass` and
`sqlite-utils --version` measured in the same run (the target: no slower than sqlite-utils),
and the floor of the CLI's own stack: a Typer command of four options that prints one line
with rich (Typer >= 0.2x coerces options through pydantic, so any command with options pays
for importing pydantic before it runs a line of the tracker).

Each command runs as a fresh process (the console scripts of this venv), interleaved with the
baselines so that load on a shared machine falls on all of them alike; the figure is the
median of --runs. `status` and `list` run on a store holding the seed article. Then
`python -X importtime` names the modules that cost most for each command.

With --before DIR (a checkout of another revision, e.g. `git archive REV tracker events
migrations seeds | tar -x -C DIR`), the same commands of that revision run beside these, as
`python -m tracker.cli.app` with this venv and PYTHONPATH=DIR, in the same run.

Usage: python bench/startup.py [--runs N] [--top K] [--before DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe  # noqa: E402

BIN = Path(sys.executable).parent
SEED = ROOT / "seeds" / "000_46a520fc1d27543f.txt"
IMPORT_PROBE = "import sys; from tracker.cli.app import main; sys.exit(main(sys.argv[1:]))"
FLOOR = """
from typing import Annotated
import typer
from rich.console import Console
app = typer.Typer()
@app.command()
def status(
    name: Annotated[str | None, typer.Argument()] = None,
    db: Annotated[str, typer.Option("--db")] = "tracker.db",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of")] = None,
) -> None:
    Console().print(f"{name} {db} {as_json} {as_of}")
@app.command()
def other() -> None: ...
app()
"""


def commands(db: Path, before: Path | None, floor: Path) -> dict[str, list[str]]:
    on_db = ["--db", str(db)]
    lines = {
        "--help": ["--help"],
        "status": ["status", *on_db],
        "list": ["list", *on_db],
        "export --help": ["export", "--help"],
        "extract --help": ["extract", "--help"],
    }
    table = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "sqlite-utils --version": [str(BIN / "sqlite-utils"), "--version"],
        "floor: a 4-option Typer command": [sys.executable, str(floor), "status", "--db", "x"],
    }
    for name, args in lines.items():
        table[f"tracker {name}"] = [str(BIN / "tracker"), *args]
        if before is not None:
            table[f"before: tracker {name}"] = [sys.executable, "-m", "tracker.cli.app", *args]
    return table


def once(argv: list[str], before: Path | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one whole process."""
    env = dict(os.environ)
    if before is not None and argv[1:3] == ["-m", "tracker.cli.app"]:
        env["PYTHONPATH"] = str(before)
    cpu_before = _children_cpu()
    start = time.perf_counter()
    subprocess.run(
        argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd="/"
    )
    return time.perf_counter() - start, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def heaviest(args: list[str], top: int) -> list[tuple[int, str]]:
    """The top-level imports that cost most (cumulative µs), from python -X importtime."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", IMPORT_PROBE, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    rows: list[tuple[int, str]] = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.split("|")
        if not name.startswith("  "):  # a top-level import of the command, not of a module
            rows.append((int(cumulative.split(":")[-1]), name.strip()))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--top", type=int, default=6)
    parser.add_argument("--before", type=Path, help="a checkout of another revision")
    options = parser.parse_args()
    print(describe())
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "tracker.db"
        for args in (["init"], ["ingest", str(SEED)]):
            once([str(BIN / "tracker"), *args, "--db", str(db)])
        before = options.before.resolve() if options.before else None
        floor = Path(tmp) / "floor.py"
        floor.write_text(FLOOR, encoding="utf-8")
        table = commands(db, before, floor)
        times: dict[str, list[float]] = {name: [] for name in table}
        cpus: dict[str, list[float]] = {name: [] for name in table}
        for argv in table.values():  # warm the OS file cache and .pyc files
            once(argv, before)
        for _ in range(options.runs):
            for name, argv in table.items():
                wall, cpu = once(argv, before)
                times[name].append(wall)
                cpus[name].append(cpu)
        medians = {name: statistics.median(values) for name, values in times.items()}
        cpu = {name: statistics.median(values) for name, values in cpus.items()}
        base, cpu_base = medians["sqlite-utils --version"], cpu["sqlite-utils --version"]
        print(f"whole process, median of {options.runs} runs, interleaved (min-max):")
        for name, value in medians.items():
            spread = f"{min(times[name]) * 1000:.0f}-{max(times[name]) * 1000:.0f}"
            print(
                f"  {name:<32} {value * 1000:6.0f} ms  ({spread} ms)  "
                f"{value / base:5.2f}x sqlite-utils --version;  CPU {cpu[name] * 1000:4.0f} ms "
                f"{cpu[name] / cpu_base:5.2f}x"
            )
        print(f"heaviest top-level imports (python -X importtime, top {options.top}):")
        for name, argv in table.items():
            if not name.startswith("tracker"):  # not the baselines nor the revision before
                continue
            rows = heaviest(argv[1:], options.top)
            listed = ", ".join(f"{module} {us / 1000:.0f} ms" for us, module in rows)
            print(f"  {name}: {listed}")


if __name__ == "__main__":
    main()

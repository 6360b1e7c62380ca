"""CLI conventions: --version, shell completion, --quiet, and tables that stay readable when
piped at 80 columns (long text wraps under the row instead of becoming a one-word column)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT, SEED_ARTICLE

from tracker import __version__
from tracker.cli.table import render


def tracker(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return subprocess.run(
        [sys.executable, "-m", "tracker.cli.app", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=clean | env,
        timeout=120,
        check=False,
    )


def test_version(cli):
    result = cli("--version", db=None)
    assert (result.code, result.out) == (0, f"tracker {__version__}\n")


def test_shell_completion_is_offered_and_completes_commands():
    script = tracker("--show-completion", "bash")
    assert script.returncode == 0 and "_TRACKER_COMPLETE" in script.stdout
    done = tracker(_TRACKER_COMPLETE="complete_bash", COMP_WORDS="tracker fe", COMP_CWORD="1")
    assert done.stdout.split() == ["feeds"]
    assert "--install-completion" in tracker("--help").stdout


def test_quiet_keeps_the_output_and_the_errors_only(cli, db_path):
    assert cli("init").err  # a note for people, by default
    quiet = cli("--quiet", "ingest", str(SEED_ARTICLE))
    assert (quiet.code, quiet.err) == (0, "")
    listed = cli("-q", "list", "--format", "json")
    assert listed.err == "" and len(listed.json()) == 9
    failed = cli("-q", "status", "nowhere")
    assert failed.code == 1 and failed.err.startswith("error: no negotiation 'nowhere'")


def test_a_piped_table_fits_80_columns_and_puts_long_text_under_the_row():
    done = tracker("extract", str(SEED_ARTICLE), "--format", "table")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[0].split()[:3] == ["type", "actor", "target"]
    evidence = [line for line in lines if line.startswith("    evidence: ")]
    assert len(evidence) == 8  # one per event, under its row
    assert "Israel’s military would invade" in " ".join(lines)


def test_render_keeps_short_columns_and_wraps_the_rest():
    rows = [["proposal.made", "United States (Antony Blinken)", "Hamas", "x " * 60]]
    columns = ["type", "actor", "target", "evidence"]
    wide = render(rows, columns, 200)
    assert len(wide) == 3 and wide[2].startswith("proposal.made  United States (Antony Blinken)")
    narrow = render(rows, columns, 60, keep={"type"})
    assert all(len(line) <= 60 for line in narrow)
    assert narrow[0].split() == ["type", "actor", "target"]
    assert narrow[3].startswith("    evidence: x x")
    tight = render(rows, columns, 44, keep={"type"})
    assert all(len(line) <= 44 for line in tight)
    # The actor wraps in its cell (whole words), the target stays beside it.
    assert tight[2].split() == ["proposal.made", "United", "States", "(Antony", "Hamas"]
    assert tight[3].split() == ["Blinken)"]
    assert tight[4].startswith("    evidence: x x")

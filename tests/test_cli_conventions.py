"""CLI conventions: --version, shell completion, --quiet, and tables that stay readable when
piped at 80 columns (long text wraps under the row instead of becoming a one-word column)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT, SEED_ARTICLE
from rich.cells import cell_len

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


IRAN = ROOT / "tests" / "gold" / "articles" / "105_iran_muscat.json"
FEED_NAME = "israel-hamas-ceasefire-and-hostage-release-talks-from-the-wire-desk.xml"


@pytest.fixture(scope="module")
def busy_store(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A store with what makes tables wide: article ids, a retraction, two negotiations,
    a user's negotiation, and a feed whose path alone is wider than 80 columns."""
    folder = tmp_path_factory.mktemp("wide") / ("deep-folder-" * 4) / "feeds"
    folder.mkdir(parents=True)
    feed = folder / FEED_NAME
    feed.write_bytes((ROOT / "seeds" / "feed.xml").read_bytes())
    env = {"TRACKER_DB": str(folder / "t.db")}
    for args in (
        ("ingest", str(SEED_ARTICLE), str(IRAN)),
        ("feeds", "add", str(feed), "--negotiation", "israel-hamas-ceasefire"),
        ("negotiations", "add", "norland-vestria-trade", "--party", "Norland", "--party", "V"),
    ):
        assert tracker(*args, **env).returncode == 0
    listed = json.loads(tracker("list", "--json", "--type", "opposition.expressed", **env).stdout)
    assert tracker("retract", listed[0]["id"], "--reason", "withdrawn", **env).returncode == 0
    return env | {"feed": str(feed)}


WHOLE = {  # what must be on one line: ids, names and headers are never broken
    ("list",): [
        "000_46a520fc1d27543f",
        "105_iran_muscat",
        "proposal.under_review",
        "actor → target",
    ],
    ("list", "--extractor"): ["000_46a520fc1d27543f", "parse-frames-1"],
    ("timeline", "israel-hamas-ceasefire"): ["israel-hamas-ceasefire", "what happened"],
    ("status",): ["israel-hamas-ceasefire: proposal pending", "iran-nuclear: proposal pending"],
    ("feeds", "list"): ["status  every  last_poll", "active"],
    ("negotiations", "list"): ["israel-hezbollah-ceasefire", "norland-vestria-trade"],
    ("extract", str(SEED_ARTICLE)): ["opposition.expressed", "conditional", "Antony Blinken"],
    ("search", "Rafah"): ["000_46a520fc1d27543f"],
}


@pytest.mark.parametrize("command", list(WHOLE), ids=" ".join)
def test_every_table_reads_at_80_columns_when_piped(busy_store, command):
    done = tracker(*command, TRACKER_DB=busy_store["TRACKER_DB"])
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines and max(cell_len(line) for line in lines) <= 80
    for text in WHOLE[command]:
        assert any(text in line for line in lines), text
    if command[0] == "list":
        header = lines[0].split()
        assert header[:5] == ["#", "id", "type", "actor", "→"]  # the actor stays in the row
        retracted = next(i for i, line in enumerate(lines) if "opposition.expressed" in line)
        assert "asserted" in lines[retracted] and "(retracted)" in lines[retracted + 1]


def test_a_column_wider_than_the_table_goes_under_the_row(busy_store):
    lines = tracker("feeds", "list", TRACKER_DB=busy_store["TRACKER_DB"]).stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert lines[0].split()[:3] == ["status", "every", "last_poll"]
    assert lines[3].startswith("    url: /")
    assert FEED_NAME in "".join(line.strip() for line in lines[3:])


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

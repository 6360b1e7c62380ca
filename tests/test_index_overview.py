"""The overview of every negotiation: index.html from `tracker export --out-dir`, and
`tracker status` with no negotiation named (or --all)."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from conftest import CliResult
from test_export_data import NEGOTIATION, SCRIPT, fill_seed

from tracker.store import SQLiteEventStore

Cli = Callable[..., CliResult]
RIVER = "river-dispute"


def two_negotiations(store: SQLiteEventStore, cli: Cli) -> None:
    fill_seed(store)
    added = cli(
        "add", "threat.issued", "--actor", "Eastland", "--target", "Westland",
        "--modality", "conditional", "--negotiation", RIVER, "--create",
        "--occurred", "2024-03-20",
        "--evidence", f"Eastland threatened to dam the river {SCRIPT} if Westland refuses.",
    )  # fmt: skip
    assert added.code == 0, added.err


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [v or "" for k, v in attrs if tag == "a" and k == "href"]


def test_export_out_dir_writes_an_index_linking_every_page(
    store: SQLiteEventStore, cli: Cli, tmp_path: Path
) -> None:
    two_negotiations(store, cli)
    out = tmp_path / "out"
    done = cli("export", "--out-dir", str(out))
    assert done.code == 0, done.err
    assert done.out.splitlines()[-1] == f"index {out / 'index.html'}"
    page = (out / "index.html").read_text(encoding="utf-8")
    parsed = Tags()
    parsed.feed(page)
    assert parsed.links == [f"{NEGOTIATION}.html", f"{RIVER}.html"]
    assert all((out / link).is_file() for link in parsed.links)
    assert "script" not in parsed.tags and "&lt;script&gt;" not in page  # evidence not shown
    # each row: phase, last change, open threats, next step, sources
    row = page[page.index(f'data-negotiation="{RIVER}"') :]
    assert "stalled" not in row[:200] and "no talks" in row.lower()[:400]
    assert "1 <ul><li>Eastland:" in row and "1 report" in row
    seed_row = page[page.index(f'data-negotiation="{NEGOTIATION}"') :]
    assert "proposal pending" in seed_row[:300] and "Cairo" in seed_row


def test_a_named_export_writes_no_index(store: SQLiteEventStore, cli: Cli, tmp_path: Path) -> None:
    two_negotiations(store, cli)
    done = cli("export", RIVER, "--out-dir", str(tmp_path))
    assert done.code == 0 and not (tmp_path / "index.html").exists()


def test_status_with_no_negotiation_prints_the_overview(store: SQLiteEventStore, cli: Cli) -> None:
    two_negotiations(store, cli)
    shown = cli("status")
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert f"{NEGOTIATION}: proposal pending" in lines and f"{RIVER}: no talks" in lines
    river = shown.out[shown.out.index(f"{RIVER}:") :]
    assert "open threats 1: Eastland" in river and "sources      1 report" in river
    assert "last change  2024-03-20: Eastland" in river
    rows = cli("status", "--all", "--json").json()
    assert [r["negotiation"] for r in rows] == [NEGOTIATION, RIVER]
    assert rows[1]["open_threats"] and rows[0]["next_steps"][0].startswith("Hamas: due at talks")
    # one negotiation named: its brief, as before; --all with a name is a usage error
    assert cli("status", RIVER).out.startswith(f"{RIVER}: no talks")
    assert cli("status", RIVER, "--all").code == 2
    assert cli("status", "--all", "--as-of", "2024-05-01").code == 2
    past = cli("status", "--as-of", "2024-04-01")  # a past day: each brief, as before
    assert past.code == 0 and "last change  " not in past.out

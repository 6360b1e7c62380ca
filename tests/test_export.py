"""tracker export: the JSON snapshot against its schema, the Markdown brief, the CSV rows, the
HTML page's escaping, --as-of, --out-dir and the CLI's errors. (The page in a real browser:
tests/test_browser_export.py.)"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from conftest import CliResult
from test_export_data import (
    HOSTILE_ID,
    HOSTILE_TEXT,
    IMG,
    NEGOTIATION,
    SCRIPT,
    SEED_ID,
    SEED_URL,
    fill_seed,
    seed_events,
)

from tracker.codec import event_id
from tracker.events import Evidence, ProposalAccepted
from tracker.export.csv_rows import COLUMNS
from tracker.export.schema import schema_path
from tracker.services import add_event, correct_event, retract_event
from tracker.store import SQLiteEventStore

Cli = Callable[..., CliResult]


@pytest.fixture
def seeded(store: SQLiteEventStore) -> SQLiteEventStore:
    fill_seed(store)
    return store


def export(cli: Cli, *args: str) -> str:
    result = cli("export", NEGOTIATION, *args)
    assert result.code == 0, result.err
    return result.out


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- JSON ------------------------------------------------------------------------------------


def test_json_snapshot_validates_against_its_schema(seeded: SQLiteEventStore, cli: Cli) -> None:
    snapshot = json.loads(export(cli, "--format", "json"))
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(snapshot)]
    assert errors == []
    # and the schema is not so loose that anything passes
    broken = {**snapshot, "status": {**snapshot["status"], "phase": "maybe"}}
    assert not validator.is_valid(broken)
    assert not validator.is_valid({k: v for k, v in snapshot.items() if k != "timeline"})


def test_json_holds_the_seed_status_and_timeline(seeded: SQLiteEventStore, cli: Cli) -> None:
    snapshot = json.loads(export(cli, "--format", "json", "--as-of", "2024-04-30"))
    assert snapshot["snapshot_version"] == 2
    assert snapshot["negotiation"] == NEGOTIATION
    assert snapshot["as_of"] == "2024-04-30"
    status = snapshot["status"]
    assert status["phase"] == "proposal_pending"
    (proposal,) = status["proposals"]
    assert (proposal["proposer"], proposal["via"]) == ("Israel", ["Egypt"])
    assert proposal["responses"]["Hamas"]["response"] == "under_review"
    assert [t["actor"] for t in status["threats"]] == ["Israel"]
    assert [s["location"] for s in status["next_steps"]] == ["Cairo"]
    # every event of the seed article is on the timeline, with its source link
    assert sum(len(entry["events"]) for entry in snapshot["timeline"]) == len(seed_events())
    lines = [line for entry in snapshot["timeline"] for line in entry["evidence"]]
    assert {line["source_url"] for line in lines} == {SEED_URL}
    assert [s["article_id"] for s in snapshot["sources"]] == [SEED_ID]
    # each status evidence line can be traced to its article
    cited = {c["article_id"] for c in snapshot["citations"].values()}
    assert cited == {SEED_ID}
    assert proposal["evidence"][0]["event_id"] in snapshot["citations"]


# --- as-of, retractions and corrections ------------------------------------------------------


def test_as_of_leaves_out_what_came_later(seeded: SQLiteEventStore, cli: Cli) -> None:
    later = json.loads(export(cli, "--format", "json"))
    earlier = json.loads(export(cli, "--format", "json", "--as-of", "2024-04-30"))
    assert HOSTILE_ID in {s["article_id"] for s in later["sources"]}
    assert HOSTILE_ID not in {s["article_id"] for s in earlier["sources"]}
    assert len(csv_rows(export(cli, "--format", "csv", "--as-of", "2024-04-30"))) == len(
        seed_events()
    )
    assert json.loads(export(cli, "--format", "json", "--as-of", "2024-01-01"))["timeline"] == []


def test_retracted_events_leave_and_corrections_show(seeded: SQLiteEventStore, cli: Cli) -> None:
    events = seed_events()
    threat_id = event_id(next(e for e in events if e.type == "threat.issued"))
    review_id = event_id(next(e for e in events if e.type == "proposal.under_review"))
    retract_event(seeded, threat_id, "the threat was misread")
    correct_event(seeded, review_id, {"attribution": "Egyptian sources"}, "source named later")
    rows = {row["id"]: row for row in csv_rows(export(cli, "--format", "csv"))}
    assert threat_id not in rows
    assert rows[review_id]["attribution"] == "Egyptian sources"
    assert rows[review_id]["state"] == "corrected"
    snapshot = json.loads(export(cli, "--format", "json"))
    assert snapshot["status"]["threats"] == []


# --- CSV -------------------------------------------------------------------------------------


def test_csv_has_one_row_per_event_and_every_field(seeded: SQLiteEventStore, cli: Cli) -> None:
    text = export(cli, "--format", "csv")
    rows = csv_rows(text)
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == len(seed_events()) + 1  # the hostile article adds one
    proposal = next(r for r in rows if r["type"] == "proposal.made")
    assert proposal["actor"] == "Israel" and proposal["via"] == "Egypt"
    assert proposal["terms"] == "over 30 hostages"
    assert json.loads(proposal["terms_detail"])[0]["quantity"] == 30
    assert proposal["evidence"].startswith("Israel initiated the latest ceasefire talks")
    start, end = (int(n) for n in proposal["evidence_spans"].split("-"))
    assert end - start == len(proposal["evidence"])
    threat = next(r for r in rows if r["type"] == "threat.issued")
    assert threat["modality"] == "conditional"
    assert threat["condition"] == "Hamas rejects the proposal"
    hostile = next(r for r in rows if r["article_id"] == HOSTILE_ID)
    assert hostile["evidence"] == HOSTILE_TEXT  # CSV keeps text verbatim


def test_csv_cells_cannot_become_spreadsheet_formulas(store: SQLiteEventStore, cli: Cli) -> None:
    formula = '=HYPERLINK("http://evil.invalid","click")'
    add_event(
        store,
        ProposalAccepted(
            actor="Hamas",
            target="Israel",
            condition="+1 day",
            evidence=(Evidence(text=formula, start=0, end=len(formula)),),
            negotiations=(NEGOTIATION,),
        ),
    )
    (row,) = csv_rows(export(cli, "--format", "csv"))
    assert row["evidence"] == "'" + formula
    assert row["condition"] == "'+1 day"


# --- Markdown --------------------------------------------------------------------------------


def test_markdown_brief(seeded: SQLiteEventStore, cli: Cli) -> None:
    text = export(cli, "--format", "md")
    lines = text.splitlines()
    status = next(line for line in lines if line.startswith("**Status:**"))
    assert "Proposal pending" in status and "Israel" in status and "Hamas under review" in status
    assert "| proposal | party | response | evidence |" in lines
    threats = text.split("## Open threats", 1)[1].split("##", 1)[0]
    assert "Israel" in threats and "Hamas rejects the proposal" in threats
    steps = text.split("## Next steps", 1)[1].split("##", 1)[0]
    assert "Cairo" in steps
    timeline = text.split("## Timeline", 1)[1]
    assert f"({SEED_URL})" in timeline  # evidence linked to its source
    assert "javascript:" not in text.replace("javascript:alert(1)", "")  # never as a link
    assert "](javascript:" not in text


def test_markdown_escapes_article_markup(seeded: SQLiteEventStore, cli: Cli) -> None:
    text = export(cli, "--format", "md")
    assert SCRIPT not in text and IMG not in text
    assert r"\<script\>alert(1)\</script\>" in text
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            assert line.count(" | ") == 3, line  # no cell broken by a stray pipe


# --- HTML (static checks; the browser test renders it) ---------------------------------------


def test_html_is_self_contained_and_escaped(seeded: SQLiteEventStore, cli: Cli) -> None:
    page = export(cli, "--format", "html")
    lowered = page.lower()
    assert "<script" not in lowered
    assert "<img" not in lowered and "<link" not in lowered and "@import" not in lowered
    assert (
        re.search(r"<[a-z][^>]*\s(src|srcset|on[a-z]+)=", lowered) is None
    )  # no loads, no handlers
    assert "url(" not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript:' not in lowered
    assert f'href="{SEED_URL}"' in page
    assert "default-src 'none'" in html.unescape(
        page.split('http-equiv="Content-Security-Policy"')[1]
    )


# --- CLI -------------------------------------------------------------------------------------


def test_out_dir_writes_every_format(seeded: SQLiteEventStore, cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("export", "--out-dir", str(out))  # the only negotiation is picked
    assert result.code == 0, result.err
    names = sorted(p.name for p in out.iterdir())
    pages = [f"{NEGOTIATION}.{ext}" for ext in ("json", "md", "html", "csv")]
    assert names == sorted([*pages, "index.html"])  # and the index of negotiations
    for name in names:
        assert str(out / name) in result.out
    json.loads((out / f"{NEGOTIATION}.json").read_text(encoding="utf-8"))


def test_output_file(seeded: SQLiteEventStore, cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    result = cli("export", NEGOTIATION, "-f", "md", "-o", str(target))
    assert result.code == 0 and result.out == ""
    assert str(target) in result.err
    assert target.read_text(encoding="utf-8").startswith(f"# {NEGOTIATION}")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--format", "pdf"), 2, "unknown format 'pdf'"),
        (("--as-of", "May 1"), 2, "--as-of must be a date"),
        (("--out-dir", "x", "--format", "md"), 2, "--out-dir writes every format"),
    ],
)
def test_bad_options_give_one_line(
    seeded: SQLiteEventStore, cli: Cli, args: tuple[str, ...], code: int, message: str
) -> None:
    result = cli("export", NEGOTIATION, *args)
    assert result.code == code
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_out_dir_that_cannot_be_made_gives_one_line(
    seeded: SQLiteEventStore, cli: Cli, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = cli("export", "--out-dir", str(blocker / "out"))
    assert result.code == 1
    assert "cannot write into" in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_unknown_negotiation_names_the_known_ones(seeded: SQLiteEventStore, cli: Cli) -> None:
    result = cli("export", "trade-talks")
    assert result.code == 1
    assert NEGOTIATION in result.err and "Traceback" not in result.err


def test_empty_store_says_so(store: SQLiteEventStore, cli: Cli) -> None:
    result = cli("export")
    assert result.code == 1
    assert "no negotiation" in result.err


def test_out_dir_without_a_name_writes_every_negotiation(
    seeded: SQLiteEventStore, cli: Cli, tmp_path: Path
) -> None:
    other = seed_events()[1].model_copy(update={"negotiations": ("labour-talks",)})
    add_event(seeded, other)
    out = tmp_path / "out"
    assert cli("export", "--out-dir", str(out)).code == 0
    stems = {p.stem for p in out.iterdir()}
    assert stems == {NEGOTIATION, "labour-talks", "index"}
    assert len(list(out.iterdir())) == 9
    assert cli("export").code == 2  # one format to stdout needs a name

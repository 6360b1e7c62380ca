"""Output that cannot be hijacked: control characters in article text show as escapes in
every terminal and Markdown output; CSV from `list` and `export` has one fixed column set and
the formula guard; bad values from the command line and the environment are one line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tracker.export.csv_rows import COLUMNS, guard
from tracker.textsafe import printable

ESC = "\x1b]0;pwned\x07\x1b[2J\x1b[31m"
EVIDENCE = f"Israel proposed {ESC}a truce\r through Egypt."


def hostile(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("add", "proposal.made", "--actor", "Israel", "--target", "=HYPERLINK(1)",
                 "--via", "Egypt", "--negotiation", "n1", "--create",
                 "--evidence", EVIDENCE)  # fmt: skip
    assert result.code == 0, result.err
    plain = cli("add", "support.expressed", "--actor", "Qatar", "--negotiation", "n1", "--create",
                "--evidence", "Qatar backed the talks.")  # fmt: skip
    assert plain.code == 0, plain.err


def test_no_escape_sequence_reaches_the_terminal_or_markdown(cli, tmp_path: Path):
    hostile(cli)
    out = tmp_path / "out"
    outputs = {
        "status": cli("status").out,
        "status md": cli("status", "--format", "md").out,
        "overview md": cli("status", "--all", "--format", "md").out,
        "list": cli("list").out,
        "timeline": cli("timeline").out,
        "timeline md": cli("timeline", "--format", "md").out,
        "export md": cli("export", "-f", "md").out,
    }
    assert cli("export", "--out-dir", str(out)).code == 0
    outputs["md file"] = (out / "n1.md").read_text(encoding="utf-8")
    for name, text in outputs.items():
        assert "\x1b" not in text and "\x07" not in text and "\r" not in text, name
    assert "\\x1b" in outputs["export md"] or "x1b" in outputs["export md"]


def test_printable_keeps_text_and_line_breaks():
    assert printable("Talks\tresume\nin Cairo") == "Talks\tresume\nin Cairo"
    assert printable("a\x1b[31mb\x9bc\u202ed") == "a\\x1b[31mb\\x9bc\\u202ed"


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_list_csv_has_every_column_whatever_the_first_row(cli, tmp_path: Path):
    article = tmp_path / "a.json"
    article.write_text(json.dumps({"id": "a1", "negotiation": "n1", "text": "Envoys met."}))
    assert (
        cli("ingest", str(article), "--create").code == 0
    )  # the first row: an article, with no actor
    hostile(cli)
    listed = cli("list", "--format", "csv")
    assert listed.code == 0, listed.err
    header = listed.out.splitlines()[0].split(",")
    assert tuple(header) == COLUMNS
    table = rows(listed.out)
    proposal = next(r for r in table if r["type"] == "proposal.made")
    assert proposal["actor"] == "Israel" and proposal["target"] == "'=HYPERLINK(1)"
    assert "a truce" in proposal["evidence"] and "\x1b" not in listed.out
    exported = rows(cli("export", "-f", "csv").out)
    assert exported[0]["target"] == "'=HYPERLINK(1)"  # the same writer, the same guard


def test_the_guard_leaves_numbers_alone():
    assert guard("-1.5") == "-1.5" and guard("-") == "'-" and guard("@SUM(A1)") == "'@SUM(A1)"


def test_correct_refuses_empty_evidence_and_unknown_fields(cli):
    hostile(cli)
    [row] = [r for r in cli("list", "--format", "json").json() if r["type"] == "proposal.made"]
    for change, named in (("evidence=[]", "evidence"), ("colour=red", "colour"),
                          ("confidence=\"high\"", "confidence")):  # fmt: skip
        result = cli("correct", row["id"][:12], "--set", change, "--reason", "test")
        lines = result.err.strip().splitlines()
        assert result.code == 1 and len(lines) == 1 and named in lines[0], result.err
    deep = cli("correct", row["id"][:12], "--set", "terms=" + "[" * 200_000, "--reason", "x")
    assert deep.code == 2 and "nested too deeply" in deep.err


def test_tracker_actors_pointing_at_a_folder_is_refused(cli, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("TRACKER_ACTORS", str(tmp_path))
    result = cli("actors", "list", db=None)
    assert result.code == 2 and "TRACKER_ACTORS" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_article_text_cannot_open_markdown_in_status_or_timeline(cli, tmp_path) -> None:
    hostile = "Israel proposed <img src=x onerror=alert(1)> [a deal](javascript:alert(1))."
    added = cli("add", "proposal.made", "--actor", "Israel", "--negotiation", "n1", "--create",
                "--evidence", hostile)  # fmt: skip
    assert added.code == 0, added.err
    # a target the overview shows (in the last change and the open threats)
    threat = cli("add", "threat.issued", "--actor", "Israel", "--negotiation", "n1",
                 "--target", "<img src=x onerror=alert(1)> [a deal](javascript:alert(1))",
                 "--evidence", "Israel threatened.")  # fmt: skip
    assert threat.code == 0, threat.err
    for command in (
        ("status", "n1", "--format", "md"),
        ("status", "--all", "--format", "md"),  # the overview: a table, as the index page
        ("timeline", "n1", "--format", "md"),
    ):
        out = cli(*command).out
        assert "<img" not in out.replace("\\<img", "") and "[a deal](" not in out, out
    assert "\\<img" in cli("timeline", "n1", "--format", "md").out  # shown escaped, not dropped

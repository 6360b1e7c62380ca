"""Integrity that detects what it claims to: SQLite's own check and the append-only triggers
in `tracker verify`, writes refused on a store that failed it, and an outside anchor
(`tracker head`, `verify --expect`) that catches a cut or rewritten log. Real files."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tracker.store.chain import link_hash

PROPOSAL = (
    "add",
    "proposal.made",
    "--actor",
    "Israel",
    "--negotiation",
    "n1",
    "--create",
    "--evidence",
)


def fill(cli, count: int = 30) -> None:  # type: ignore[no-untyped-def]
    for n in range(count):
        assert cli(*PROPOSAL, f"Israel proposed plan {n}.").code == 0


def one_line(result) -> str:  # type: ignore[no-untyped-def]
    lines = result.err.strip().splitlines()
    assert result.code != 0 and len(lines) == 1 and "unexpected" not in lines[0], result.err
    return lines[0]


def flip_an_indexed_event_id(path: Path) -> None:
    """Change one byte of an entry in the event-id index, leaving the table as it was: the
    kind of damage only SQLite's integrity check sees."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_events_1'"
    ).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    ids = [row[0].encode() for row in conn.execute("SELECT event_id FROM events")]
    conn.close()
    data = bytearray(path.read_bytes())
    page = bytes(data[(root - 1) * size : root * size])
    at = next(page.find(i) for i in ids if page.find(i) >= 0) + (root - 1) * size
    data[at] = ord("0") if data[at] != ord("0") else ord("1")
    path.write_bytes(bytes(data))


def test_a_corrupted_index_fails_verify_and_then_writes_are_refused(cli, db_path, tmp_path):
    fill(cli)
    assert cli("verify").code == 0
    backup = tmp_path / "backup.db"
    shutil.copy(db_path, backup)
    flip_an_indexed_event_id(db_path)
    failed = cli("verify")
    assert (
        "SQLite integrity check" in one_line(failed) and "sqlite_autoindex_events_1" in failed.err
    )
    refused = cli(*PROPOSAL, "Israel proposed once more.")
    assert "failed `tracker verify`" in one_line(refused) and "writes refused" in refused.err
    assert cli("list", "--format", "json").code == 0  # reading still works
    shutil.copy(backup, db_path)  # restored from the backup, it verifies and takes writes
    assert cli("verify").code == 0
    assert cli(*PROPOSAL, "Israel proposed once more.").code == 0


@pytest.mark.parametrize("trigger", ["events_no_update", "events_no_delete"])
def test_a_dropped_trigger_is_reported_and_blocks_writes(cli, db_path, trigger):
    fill(cli, 2)
    conn = sqlite3.connect(db_path)
    conn.execute(f"DROP TRIGGER {trigger}")
    conn.commit()
    conn.close()
    assert f"append-only trigger {trigger} is missing" in one_line(cli("verify"))
    refused = cli(*PROPOSAL, "Israel proposed again.")
    assert "writes refused" in one_line(refused) and "verify" in refused.err


def test_a_trigger_replaced_by_one_that_allows_edits_is_reported(cli, db_path):
    fill(cli, 2)
    conn = sqlite3.connect(db_path)
    conn.executescript(
        "DROP TRIGGER events_no_update;"
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT 1; END;"
    )
    conn.close()
    assert "events_no_update is missing" in one_line(cli("verify"))


def head_of(cli) -> str:  # type: ignore[no-untyped-def]
    result = cli("head")
    assert result.code == 0, result.err
    return result.out.strip()


def test_verify_expect_proves_the_log_extends_a_head(cli):
    fill(cli, 3)
    anchor = head_of(cli)
    position, digest = anchor.split(":")
    assert position == "3" and len(digest) == 64
    fill(cli, 2)
    ok = cli("verify", "--expect", anchor)
    assert ok.code == 0 and f"extends 3:{digest[:16]}" in ok.err
    assert cli("verify", "--expect", f"3:{digest[:16]}").code == 0  # a prefix will do
    assert one_line(cli("verify", "--expect", "3")).startswith("error: --expect takes")


def test_cutting_the_end_of_the_log_passes_the_chain_but_not_the_anchor(cli, db_path):
    fill(cli, 5)
    anchor = head_of(cli)
    conn = sqlite3.connect(db_path)
    conn.executescript(
        "DROP TRIGGER events_no_delete; DELETE FROM events WHERE position > 3;"
        "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
        " BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;"
    )
    conn.close()
    assert cli("verify").code == 0  # the chain alone cannot tell
    assert "events were cut from its end" in one_line(cli("verify", "--expect", anchor))


def test_rewriting_the_whole_chain_passes_the_chain_but_not_the_anchor(cli, db_path):
    fill(cli, 4)
    anchor = head_of(cli)
    conn = sqlite3.connect(db_path)
    conn.executescript("DROP TRIGGER events_no_update;")
    rows = conn.execute(
        "SELECT position, event_id, stream, version, type, schema_version, payload, recorded_at"
        " FROM events ORDER BY position"
    ).fetchall()
    prev = "0" * 64
    for row in rows:
        payload = json.loads(row[6])
        payload["actor"] = "Egypt"
        content = (*row[:6], json.dumps(payload), row[7])
        digest = link_hash(prev, content)
        conn.execute(
            "UPDATE events SET payload = ?, prev_hash = ?, hash = ? WHERE position = ?",
            (content[6], prev, digest, row[0]),
        )
        prev = digest
    conn.executescript(
        "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
        " BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;"
    )
    conn.commit()
    conn.close()
    assert cli("verify").code == 0  # a consistent forgery
    assert "the log was rewritten" in one_line(cli("verify", "--expect", anchor))


def test_every_export_carries_the_head(cli, tmp_path):
    fill(cli, 2)
    anchor = head_of(cli)
    out = tmp_path / "out"
    assert cli("export", "--out-dir", str(out)).code == 0
    snapshot = json.loads((out / "n1.json").read_text(encoding="utf-8"))
    assert snapshot["store_head"] == anchor
    assert anchor in (out / "n1.md").read_text(encoding="utf-8")
    assert f'data-head="{anchor}"' in (out / "n1.html").read_text(encoding="utf-8")


def test_a_dropped_trigger_on_the_kept_texts_is_reported_too(cli, db_path):
    from conftest import SEED_ARTICLE

    assert cli("ingest", str(SEED_ARTICLE)).code == 0
    with sqlite3.connect(db_path) as conn:
        conn.execute("DROP TRIGGER article_texts_no_delete")
        conn.execute("DELETE FROM article_texts")
    assert "article_texts_no_delete" in one_line(cli("verify"))

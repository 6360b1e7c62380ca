"""The SQL views (migrations/0021_events_view.sql) say what `tracker list --format json` says:
one row per negotiation event, corrections applied, retractions flagged, the negotiation,
date and URL taken from the article when the event names none."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from conftest import ROOT, SEED_ARTICLE

GOLD = ROOT / "tests" / "gold" / "articles" / "105_iran_muscat.json"


def _expected(row: dict[str, Any], articles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    article = articles.get(row.get("article_id") or "", {})
    return {
        "position": row["position"],
        "id": row["id"],
        "negotiation": ", ".join(row["negotiations"] or article.get("negotiations") or []) or None,
        "type": row["type"],
        "actor": row["actor"],
        "target": row["target"],
        "via": ", ".join(row["via"]) or None,
        "modality": row["modality"],
        "condition": row["condition"],
        "attribution": row["attribution"],
        "evidence": "\n".join(e["text"] for e in row["evidence"]),
        "published": row["published"] or article.get("published"),
        "url": row["source_url"] or article.get("url"),
        "retracted": int(row["state"] == "retracted"),
        "date": row["date"],
    }


def _view(db: Path) -> dict[int, dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return {r["position"]: dict(r) for r in conn.execute("SELECT * FROM events_view")}
    finally:
        conn.close()


def test_events_view_returns_what_tracker_list_returns(cli, db_path):
    assert cli("ingest", str(SEED_ARTICLE), str(GOLD)).code == 0
    manual = cli(
        "add", "proposal.made", "--actor", "Egypt", "--target", "Hamas", "--via", "Qatar",
        "--via", "United States", "--negotiation", "israel-hamas-ceasefire",
        "--occurred", "2024-05-02", "--source", "https://news.invalid/egypt-plan",
        "--evidence", "Egypt tabled a plan through Qatar and the United States.",
    )  # fmt: skip
    assert manual.code == 0, manual.err
    listed = cli("list", "--format", "json").json()
    events = [r for r in listed if "actor" in r]
    first, second = events[0]["id"], events[1]["id"]
    assert cli("retract", first, "--reason", "denied the next day").code == 0
    fixes = ("--set", "modality=predicted", "--set", "target=Israel")
    assert cli("correct", second, *fixes, "--reason", "misread").code == 0
    assert cli("correct", second, "--set", "modality=planned", "--reason", "again").code == 0

    listed = cli("list", "--format", "json").json()
    articles = {r["article_id"]: r for r in listed if r["type"] == "article.ingested"}
    wanted = [_expected(r, articles) for r in listed if "actor" in r]
    view = _view(db_path)
    assert len(wanted) > 10 and sorted(view) == [w["position"] for w in wanted]
    for want in wanted:
        got = {key: view[want["position"]][key] for key in want}
        assert got == want

    fixed = next(v for v in view.values() if v["id"] == second)
    assert (fixed["modality"], fixed["target"], fixed["corrected"]) == ("planned", "Israel", 1)
    assert next(v for v in view.values() if v["id"] == first)["retracted"] == 1
    egypt = next(v for v in view.values() if v["actor"] == "Egypt")
    assert egypt["via"] == "Qatar, United States"
    assert egypt["url"] == "https://news.invalid/egypt-plan"
    iran = [v for v in view.values() if v["negotiation"] == "iran-nuclear"]
    assert iran and all(v["url"] == "https://wire.example/105_iran_muscat" for v in iran)


def test_the_view_is_there_for_plain_sqlite(cli, db_path):
    assert cli("init").code == 0
    conn = sqlite3.connect(db_path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
    conn.close()
    assert {"events_view", "events_amended", "event_fixes"} <= names

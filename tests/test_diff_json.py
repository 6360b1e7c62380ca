"""`tracker diff --format json` is the document `tracker run --notify` sends: the lines gone
and new, plus the events known after the day with their evidence, and their sources."""

from __future__ import annotations

from conftest import SEED_ARTICLE

N = "israel-hamas-ceasefire"


def test_diff_json_carries_the_events_and_sources_behind_the_change(cli):
    assert cli("ingest", str(SEED_ARTICLE)).code == 0
    body = cli("diff", N, "--since", "2024-04-29", "--json").json()
    assert set(body) == {"negotiation", "since", "removed", "added", "phase", "events", "sources"}
    assert (body["negotiation"], body["since"], body["phase"]) == (
        N,
        "2024-04-29",
        "proposal_pending",
    )
    assert body["removed"] == ["phase: no_talks"] and "phase: proposal_pending" in body["added"]
    types = sorted(e["type"] for e in body["events"])
    assert "threat.issued" in types and "proposal.made" in types
    threat = next(e for e in body["events"] if e["type"] == "threat.issued")
    assert threat["modality"] == "conditional" and "invade Rafah" in threat["evidence"][0]
    assert [s["article_id"] for s in body["sources"]] == ["000_46a520fc1d27543f"]


def test_nothing_known_after_the_day_gives_no_events(cli):
    assert cli("ingest", str(SEED_ARTICLE)).code == 0
    body = cli("diff", N, "--since", "2024-04-30", "--json").json()
    assert (body["added"], body["events"], body["sources"]) == ([], [], [])

"""`tracker timeline` and `tracker export` are bounded by default (the most recent entries),
with --limit N and --all for the whole history, read a page at a time."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from conftest import CliResult

from tracker.projections import timeline_table

Cli = Callable[..., CliResult]
N = "eastport-strike"


@pytest.fixture
def history(cli: Cli) -> Cli:
    for day in range(1, 8):
        done = cli(
            "add",
            "talks.held",
            "--actor",
            "Eastport Nurses Union" if day % 2 else "Eastport Health Board",
            "--negotiation",
            N,
            "--create",
            "--occurred",
            f"2025-04-{day:02d}",
            "--evidence",
            f"Negotiators met again, for the {day}th time.",
        )
        assert done.code == 0, done.err
    return cli


def dates(rows: list[dict[str, object]]) -> list[object]:
    return [row["date"] for row in rows]


def test_the_timeline_shows_the_last_entries_and_all_on_request(
    history: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    last = history("timeline", N, "--limit", "3", "--json")
    assert dates(last.json()) == ["2025-04-05", "2025-04-06", "2025-04-07"]
    assert "the last 3 entries" in last.err
    monkeypatch.setattr(timeline_table, "PAGE", 2)  # several pages for seven entries
    every = history("timeline", N, "--all", "--json").json()
    assert dates(every) == [f"2025-04-{d:02d}" for d in range(1, 8)]
    assert every == history("timeline", N, "--json").json()  # under the default limit: all
    since = history("timeline", N, "--all", "--since", "2025-04-06", "--json").json()
    assert dates(since) == ["2025-04-06", "2025-04-07"]
    text = history("timeline", N, "--all").out
    assert text.count("2025-04-") == 7 and text.index("2025-04-01") < text.index("2025-04-07")
    md = history("timeline", N, "--all", "--format", "md").out
    assert md.count("- **2025-04-") == 7


def test_a_limit_below_one_is_a_usage_error(history: Cli) -> None:
    done = history("timeline", N, "--limit", "0")
    assert done.code == 2 and done.err.count("\n") == 1 and "--limit" in done.err


def test_export_holds_the_last_entries_unless_all(history: Cli) -> None:
    short = json.loads(history("export", N, "--format", "json", "--limit", "2").out)
    assert dates(short["timeline"]) == ["2025-04-06", "2025-04-07"]
    full = json.loads(history("export", N, "--format", "json", "--all").out)
    assert len(full["timeline"]) == 7


def test_a_cut_timeline_keeps_the_sources_of_the_status(history: Cli) -> None:
    offer = history(
        "add", "proposal.made", "--actor", "Eastport Health Board", "--negotiation", N,
        "--occurred", "2025-03-30", "--source", "https://eastport.example/offer",
        "--evidence", "The health board offered a six percent raise.",
    )  # fmt: skip
    assert offer.code == 0, offer.err
    snapshot = json.loads(history("export", N, "--format", "json", "--limit", "1").out)
    assert len(snapshot["timeline"]) == 1  # the offer's entry is cut from the timeline ...
    [proposal] = snapshot["status"]["proposals"]
    cited = {line["event_id"] for line in proposal["evidence"]}
    urls = {snapshot["citations"][i]["url"] for i in cited}
    assert urls == {"https://eastport.example/offer"}  # ... but the status still cites it

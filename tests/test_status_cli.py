"""`tracker status`, `timeline`, `diff` and `rebuild` through the CLI, on a store filled with
`tracker add` (text written for these tests)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_ARTICLE, CliResult

from tracker.projections import current, readmodel
from tracker.services import ingest_article
from tracker.sources import load_article
from tracker.store import open_store
from tracker.store.readmodels import read_models

Cli = Callable[..., CliResult]
N = "northland-truce"


def add(cli: Cli, type_: str, actor: str, evidence: str, *extra: str, negotiation: str = N) -> None:
    done = cli(
        "add", type_, "--actor", actor, "--evidence", evidence, "--negotiation", negotiation,
        "--create", *extra,
    )  # fmt: skip
    assert done.code == 0, done.err


@pytest.fixture
def talks(cli: Cli) -> Cli:
    add(
        cli,
        "proposal.made",
        "Egypt",
        "Egypt tabled a truce plan for Northland.",
        "--target",
        "Northland",
        "--terms",
        "ten-day truce",
        "--occurred",
        "2025-03-01",
    )
    add(
        cli,
        "threat.issued",
        "Northland",
        "Northland would storm Eastharbour if the plan failed.",
        "--location",
        "Eastharbour",
        "--terms",
        "storm Eastharbour",
        "--modality",
        "conditional",
        "--condition",
        "the plan fails",
        "--occurred",
        "2025-03-02",
    )
    add(
        cli,
        "talks.scheduled",
        "Northland",
        "Northland envoys are due in Cairo.",
        "--location",
        "Cairo",
        "--modality",
        "planned",
        "--occurred",
        "2025-03-02",
    )
    add(
        cli,
        "proposal.rejected",
        "Northland",
        "Northland rejected the truce plan.",
        "--target",
        "Egypt",
        "--occurred",
        "2025-03-05",
    )
    return cli


def test_status_json_with_the_scorer_options(talks: Cli) -> None:
    done = talks("status", "--negotiation", N, "--as-of", "2025-03-03", "--json")
    assert done.code == 0, done.err
    body = done.json()
    assert body["phase"] == "proposal_pending" and body["as_of"] == "2025-03-03"
    assert body["proposals"][-1]["responses"]["Northland"]["response"] == "no_response"
    assert body["threats"][0]["action"] == "storm Eastharbour"
    assert [s["location"] for s in body["next_steps"]] == ["Cairo"]

    now = talks("status", N, "--format", "json").json()
    assert now["phase"] == "stalled"
    assert now["proposals"][0]["responses"]["Northland"]["response"] == "rejected"
    assert now["last_change"]["type"] == "proposal.rejected"


def test_status_text_is_a_brief_that_fits_a_terminal(talks: Cli) -> None:
    done = talks("status")
    assert done.code == 0, done.err
    assert done.out.startswith(f"{N}: stalled")
    for part in (
        "On the table",
        "Egypt's proposal to Northland",
        "Northland: rejected",
        "Open threats",
        "storm Eastharbour, if the plan fails",
        "Last change",
    ):
        assert part in done.out
    assert max(len(line) for line in done.out.splitlines()) <= 80  # pytest's console width
    md = talks("status", "--format", "md").out
    assert md.startswith(f"# {N}: status latest\n\n**Status:** Stalled — Egypt's proposal")
    assert "_4 events from 4 report(s)._" in md and "## Open threats" in md
    # one Markdown renderer: the status part of the export, word for word
    sections = md.split("## Proposals and responses")[1].rstrip("\n")
    exported = talks("export", N, "-f", "md").out
    assert exported.split("## Proposals and responses")[1].startswith(sections + "\n\n## Timeline")


def test_known_at_shows_what_the_store_knew_then(talks: Cli, db_path: Any) -> None:
    with open_store(db_path) as store:
        first, _second = list(store.read_all())[:2]
    done = talks("status", N, "--known-at", first.recorded_at, "--json")
    assert done.code == 0, done.err
    body = done.json()
    assert body["events"] == 1 and body["threats"] == []
    before = talks("status", N, "--known-at", "2000-01-01", "--json").json()
    assert (before["phase"], before["events"]) == ("no_talks", 0)


def test_several_negotiations_show_each_or_ask_for_one(talks: Cli) -> None:
    add(
        talks,
        "proposal.made",
        "Qatar",
        "Qatar offered talks on the river dispute.",
        "--target",
        "Westland",
        negotiation="river-dispute",
    )
    text = talks("status")
    assert text.code == 0
    assert "northland-truce: stalled" in text.out and "river-dispute: proposal pending" in text.out
    both = talks("status", "--json")
    assert both.code == 2 and "choose one" in both.err
    assert talks("status", "river-dispute", "--json").json()["negotiation"] == "river-dispute"


def test_bad_input_is_one_line_and_non_zero(talks: Cli) -> None:
    unknown = talks("status", "nowhere")
    assert unknown.code == 1 and unknown.err.startswith("error: no negotiation 'nowhere'")
    assert N in unknown.err
    assert talks("status", "--as-of", "May 5").code == 2
    assert talks("status", "--known-at", "noon").code == 2
    assert talks("status", N, "--negotiation", "other").code == 2
    assert talks("diff", N).code == 2


def test_empty_store_says_so(cli: Cli) -> None:
    assert cli("init").code == 0
    done = cli("status")
    assert done.code == 1 and "no negotiation events yet" in done.err


def test_diff_since_a_day(talks: Cli) -> None:
    done = talks("diff", N, "--since", "2025-03-03")
    assert done.code == 0, done.err
    assert "-   Northland on Egypt's proposal: no_response" in done.out
    assert "+   Northland on Egypt's proposal: rejected" in done.out
    assert "- phase: proposal_pending" in done.out and "+ phase: stalled" in done.out
    body = talks("diff", N, "--since", "2025-03-03", "--json").json()
    assert "phase: stalled" in body["added"]
    same = talks("diff", N, "--since", "2025-03-06")
    assert "(no change)" in same.out


def test_timeline_merges_retellings_and_filters_by_date(talks: Cli) -> None:
    add(
        talks,
        "proposal.rejected",
        "Northland",
        "Officials in Northland said no to the plan.",
        "--target",
        "Egypt",
        "--occurred",
        "2025-03-06",
    )
    rows = talks("timeline", N, "--json").json()
    # analyst entries have no article: they cannot be shown to be one happening, so no merge
    assert [r["type"] for r in rows].count("proposal.rejected") == 2
    since = talks("timeline", N, "--since", "2025-03-05", "--format", "json").json()
    assert {r["date"] for r in since} == {"2025-03-05", "2025-03-06"}
    text = talks("timeline", N)
    assert text.code == 0 and "Egypt proposes a deal to Northland" in text.out


def test_retraction_and_correction_reach_the_status(talks: Cli, db_path: Any) -> None:
    with open_store(db_path) as store:
        rejection = next(e for e in store.read_all() if e.type == "proposal.rejected")
    done = talks("retract", rejection.event_id[:12], "--reason", "the report was wrong")
    assert done.code == 0, done.err
    body = talks("status", N, "--json").json()
    assert body["phase"] == "proposal_pending"
    assert body["proposals"][0]["responses"]["Northland"]["response"] == "no_response"
    assert all(r["type"] != "proposal.rejected" for r in talks("timeline", N, "--json").json())

    with open_store(db_path) as store:
        threat = next(e for e in store.read_all() if e.type == "threat.issued")
    done = talks(
        "correct", threat.event_id[:12], "--set", "modality=predicted", "--reason", "a forecast"
    )
    assert done.code == 0, done.err
    body = talks("status", N, "--json").json()
    assert body["threats"] == []
    assert [e["type"] for e in body["expectations"]] == ["threat.issued"]


def test_rebuild_gives_what_the_incremental_fold_gave(talks: Cli, db_path: Any) -> None:
    with open_store(db_path) as store:
        incremental = readmodel.dump(store)
    done = talks("rebuild")
    assert done.code == 0 and "rebuilt from 4 events" in done.err
    with open_store(db_path) as store:
        assert readmodel.dump(store) == incremental


def test_help_has_examples(cli: Cli) -> None:
    for command in ("status", "timeline", "diff", "rebuild"):
        done = cli(command, "--help", db=None)
        assert done.code == 0 and "Example" in done.out


def test_status_folds_what_was_appended_since_the_last_fold(cli: Cli, db_path: Path) -> None:
    """`status` reads the stored rows alone when they are up to date, and folds first when
    the log has moved on (here: an article stored without its fold) or when the rows were
    folded by another version of the rules."""
    assert cli("init").code == 0
    with open_store(db_path) as store:
        ingest_article(store, load_article(str(SEED_ARTICLE)), project=False)
        assert not current.up_to_date(store)
    shown = cli("status")
    assert shown.code == 0, shown.err
    assert "proposal pending" in shown.out
    with open_store(db_path) as store:
        assert current.up_to_date(store)
        tables = read_models(store)
        with tables.write_transaction():
            tables.set_checkpoint(f"{current.PREFIX}{current.VERSION - 1}", store.head())
        assert not current.up_to_date(store)
    assert cli("status").out == shown.out
    with open_store(db_path) as store:
        assert current.up_to_date(store)

"""Parties the actor registry lacks: still actors (as written), and marked so on the event,
in `tracker extract` and in `tracker list`, so an analyst sees which names to register."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from tests.conftest import CliResult
from tracker.article import Article
from tracker.codec import encode
from tracker.extract import extract_article
from tracker.sources import load_article

Cli = Callable[..., CliResult]
SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_46a520fc1d27543f.txt"

# Prose written here: a labour dispute between parties no registry file names.
DISPUTE = (
    "The Norland Nurses Union rejected the latest pay offer from the Meridian Health Group "
    "on Friday, saying it fell short of what members had been promised.\n\n"
    "The Meridian Health Group proposed a new round of talks for next week."
)


def test_a_party_the_registry_lacks_is_marked_on_its_event() -> None:
    events = extract_article(Article(id="t", text=DISPUTE, published=date(2025, 5, 1))).events
    rejected = [e for e in events if e.type == "proposal.rejected"]
    assert rejected and rejected[0].actor == "Norland Nurses Union"
    assert "Norland Nurses Union" in rejected[0].unregistered


def test_registered_parties_are_not_marked_and_keep_their_payload() -> None:
    events = extract_article(load_article(str(SEED))).events
    assert len(events) == 8
    assert all(e.unregistered == () for e in events)
    # Left out of the payload when empty: the ids of events stored before the mark existed
    # are the ids the same article gives today, so a re-ingest adds nothing twice.
    assert all("unregistered" not in encode(e).payload for e in events)


def test_extract_table_stars_unregistered_names_and_says_why(cli: Cli, tmp_path: Path) -> None:
    article = tmp_path / "dispute.txt"
    article.write_text(f"Nurses turn down pay offer\n\n{DISPUTE}", encoding="utf-8")
    result = cli("extract", str(article), "--published", "2025-05-01", db=None)
    assert result.code == 0, result.err
    assert "Union*" in result.out and "Group*" in result.out  # the names wrap at 80 columns
    assert "not in the actor registry" in result.err
    found = cli("extract", str(article), "--published", "2025-05-01", "--format", "json", db=None)
    rejected = [e for e in found.json()["events"] if e["type"] == "proposal.rejected"]
    assert rejected[0]["unregistered"] == ["Norland Nurses Union", "Meridian Health Group"]


def test_list_marks_stored_events_and_json_lists_the_names(cli: Cli, tmp_path: Path) -> None:
    article = tmp_path / "dispute.txt"
    article.write_text(f"Nurses turn down pay offer\n\n{DISPUTE}", encoding="utf-8")
    ingested = cli(
        "ingest", str(article), "--published", "2025-05-01", "--negotiation", "nurses-pay",
        "--create",
    )  # fmt: skip
    assert ingested.code == 0, ingested.err
    rows = [r for r in cli("list", "--json").json() if r["type"] == "proposal.rejected"]
    assert rows and rows[0]["unregistered"][0] == "Norland Nurses Union"
    table = cli("list")
    assert "Union*" in table.out and "not in the actor registry" in table.err


def test_list_of_registered_parties_has_no_mark(cli: Cli) -> None:
    assert cli("ingest", str(SEED)).code == 0
    table = cli("list")
    assert "*" not in table.out and "not in the actor registry" not in table.err
    rows = [r for r in cli("list", "--json").json() if r["type"] != "article.ingested"]
    assert rows and all(r["unregistered"] == [] for r in rows)


def test_a_states_office_title_is_the_state_not_an_unknown_organisation() -> None:
    # "Commerce" ends organisation names ("the Norland Chamber of Commerce"), but before
    # "Minister" it is the title of a state's office.
    text = "Chinese Commerce Minister Li Ming held talks with European Union officials on Monday."
    events = extract_article(Article(id="t", text=text, published=date(2025, 5, 1))).events
    assert [(e.type, e.actor, e.unregistered) for e in events] == [("talks.held", "China", ())]

"""A negotiation of the user's own, as a new user follows it (issue 11, sections 2 and 3):
two text articles, a .meta.json, an unknown party added afterwards, reextract, status,
search; and the store those steps leave answers the same when copied."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tracker.errors import UsageError
from tracker.extract import DEFAULT
from tracker.slugs import negotiation_id
from tracker.store import open_store

NEG = "norland-vestria-trade"
A1 = """Norland offers Vestria a tariff deal

Norland proposed a trade deal to Vestria on Monday that would cut tariffs on steel and grain by half over three years.

Vestria said it was studying the proposal and would respond by Friday.

The Ostmark Steel Guild warned that its 4,000 members would walk off the job unless the deal protected their jobs.
"""  # noqa: E501
A2 = """Vestria rejects Norland's tariff offer

Vestria rejected Norland's trade proposal on Friday and tabled a counter-offer that keeps grain tariffs in place.

Brannoc, the chief negotiator of the Ostmark Steel Guild, said the guild opposes any deal that removes steel tariffs.

Negotiators from Norland and Vestria will meet again in Kessel next week.
"""  # noqa: E501
META = (
    '{"title": "Norland offers Vestria a tariff deal", "published": "2025-03-03", '
    '"source": "Harbour Post", "negotiation": "%s"}'
)


def articles(folder: Path, negotiation: str = NEG) -> tuple[Path, Path]:
    a1, a2 = folder / "a1.txt", folder / "a2.txt"
    a1.write_text(A1, encoding="utf-8")
    (folder / "a1.txt.meta.json").write_text(META % negotiation, encoding="utf-8")
    a2.write_text(A2, encoding="utf-8")
    return a1, a2


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, result.err
    return result


DEFINE = (
    "negotiations", "add", NEG, "--title", "Norland-Vestria trade talks",
    "--party", "Norland", "--party", "Vestria",
    "--keyword", "tariff", "--keyword", "tariffs", "--keyword", "trade deal",
)  # fmt: skip


def define(cli: object) -> None:
    ok(cli(*DEFINE))  # type: ignore[operator]


def test_the_walkthrough(cli: object, tmp_path: Path, db_path: Path) -> None:
    run = cli  # type: ignore[assignment]
    a1, a2 = articles(tmp_path)
    define(run)
    listed = ok(run("negotiations", "list", "--format", "json")).json()
    assert {"id": NEG, "parties": ["Norland", "Vestria"], "from": "store"}.items() <= next(
        n for n in listed if n["id"] == NEG
    ).items()
    # The .meta.json assigns the first article; the second names no party the registry knows.
    first = ok(run("ingest", str(a1)))
    assert f"({NEG})" in first.err
    second = ok(run("ingest", str(a2), "--published", "2025-03-07"))
    assert "to no negotiation" in second.err and "tracker reextract" in second.err
    before = ok(run("status", NEG, "--json")).json()
    assert before["proposals"] == []  # Norland and Vestria are not actors yet
    # The parties, added afterwards, reach the stored articles through reextract.
    ok(run("actors", "add", "Norland", "--kind", "state"))
    ok(run("actors", "add", "Vestria", "--kind", "state", "--demonym", "Vestrian"))
    done = ok(run("reextract"))
    assert "a2: " in done.err and f"extractor {DEFAULT.version}: 2 article(s)" in done.err
    log = ok(run("list", "--json")).json()
    extracted = [e for e in log if e.get("article_id") and e["type"] not in ("article.ingested",)]
    assert extracted and all(e["extractor"] == DEFAULT.version for e in extracted)
    retractions = [e for e in log if e["type"] == "event.retracted"]
    assert retractions and all(
        e["reason"] == f"superseded by extractor {DEFAULT.version}" for e in retractions
    )
    assert "extractor" in ok(run("list", "--extractor")).out
    status = ok(run("status", NEG, "--json")).json()
    norland = next(p for p in status["proposals"] if p["proposer"] == "Norland")
    # "rejected ... and tabled a counter-offer": a counter, as issue 11's A/B story has it
    assert norland["responses"]["Vestria"]["response"] == "countered"
    ok(run("rebuild"))  # the retractions and new events fold as a rebuild folds them
    assert ok(run("status", NEG, "--json")).json() == status
    # Run again: the same extractor over the same definitions finds nothing new.
    again = ok(run("reextract", NEG))
    assert "0 event(s) added, 0 retracted" in again.err
    hits = ok(run("search", "steel tariffs", "--negotiation", NEG, "--format", "json")).json()
    assert {h["article_id"] for h in hits if h["kind"] == "article"} == {"a1", "a2"}
    assert any(h["kind"] == "evidence" and "«tariffs»" in h["snippet"] for h in hits)
    retracted = {e["event_id"] for e in retractions}
    walk = ok(run("search", "walk off", "--format", "json")).json()
    assert walk and not {h["event_id"] for h in walk} & retracted
    assert "nothing found" in ok(run("search", "tariffs", "--negotiation", "iran-nuclear")).err
    # A copy of the store answers exactly as the original does.
    copy = tmp_path / "copy.db"
    shutil.copyfile(db_path, copy)
    for args in (("status", NEG, "--json"), ("negotiations", "show", NEG, "--format", "json")):
        assert ok(run(*args, db=copy)).out == ok(run(*args)).out
    assert ok(run("verify")).code == 0


def test_each_text_is_kept_once_and_refused_edits(cli: object, tmp_path: Path) -> None:
    a1, _ = articles(tmp_path)
    define(cli)
    ok(cli("ingest", str(a1)))  # type: ignore[operator]
    copy = tmp_path / "again.txt"
    shutil.copyfile(a1, copy)
    ok(cli("ingest", str(copy), "--negotiation", NEG))  # type: ignore[operator]
    conn = sqlite3.connect(tmp_path / "tracker.db")
    assert conn.execute("SELECT COUNT(*), MIN(text) FROM article_texts").fetchone() == (1, A1)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE article_texts SET text = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM article_texts")


def test_unknown_negotiations_are_refused_with_a_suggestion(
    cli: object, tmp_path: Path, db_path: Path
) -> None:
    run = cli  # type: ignore[assignment]
    define(run)
    adding = ("add", "talks.held", "--actor", "Norland", "--evidence", "They met.")
    typo = run(*adding, "--negotiation", "norland-vestria-trde")
    assert typo.code == 2 and "did you mean norland-vestria-trade?" in typo.err
    assert "--create" in typo.err and "Traceback" not in typo.err
    a1, _ = articles(tmp_path, negotiation="norland-vestria-trde")
    refused = run("ingest", str(a1))
    assert refused.code == 2 and "did you mean norland-vestria-trade?" in refused.err
    with open_store(db_path) as store:
        assert [e.type for e in store.read_all()] == ["negotiation.defined"]  # nothing stored
    ok(run(*adding, "--negotiation", "brand-new-talks", "--create"))
    ok(run(*adding, "--evidence", "They met again.", "--negotiation", "brand-new-talks"))
    assert "brand-new-talks" in ok(run("negotiations", "list")).out


@pytest.mark.parametrize("bad", ["Norland_Trade", "", "a" * 65, "-x", "x--y", "trade talks"])
def test_a_negotiation_id_is_a_slug(bad: str, cli: object, tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        negotiation_id(bad)
    result = cli("negotiations", "add", bad)  # type: ignore[operator]
    assert result.code == 2 and result.err.startswith("error: ") and result.err.count("\n") == 1
    a1, _ = articles(tmp_path, negotiation=bad.replace('"', ""))
    if bad:  # an empty key in a .meta.json is no key
        refused = cli("ingest", str(a1))  # type: ignore[operator]
        assert refused.code != 0 and "negotiation" in refused.err


def test_negotiations_add_extends_a_seed_and_show_says_so(cli: object) -> None:
    run = cli  # type: ignore[assignment]
    ok(run("negotiations", "add", "israel-hamas-ceasefire", "--keyword", "Kerem Shalom"))
    shown = ok(run("negotiations", "show", "israel-hamas-ceasefire", "--format", "json")).json()
    assert "Kerem Shalom" in shown["keywords"] and "Gaza" in shown["keywords"]
    assert shown["from"] == "seed+store"
    same = ok(run("negotiations", "add", "israel-hamas-ceasefire", "--keyword", "Gaza"))
    assert "nothing new" in same.err


FIXTURE = Path(__file__).parent / "fixtures" / "store_main_1f6d82e.db"


def test_a_store_made_by_the_current_release_moves_forward_without_loss(
    cli: object, tmp_path: Path
) -> None:
    """tests/fixtures/store_main_1f6d82e.db was made by main at 1f6d82e (migrations 0001-0004):
    the seed and an Iran article ingested, a hand-added rejection, a negotiation started by
    `tracker add` and an event retracted."""
    run = cli  # type: ignore[assignment]
    db = tmp_path / "old.db"
    shutil.copyfile(FIXTURE, db)
    raw = sqlite3.connect(db)
    rows_before = raw.execute("SELECT * FROM events ORDER BY position").fetchall()
    raw.close()
    assert ok(run("verify", db=db)).err.startswith(f"ok: {len(rows_before)} events")
    raw = sqlite3.connect(db)
    assert raw.execute("SELECT * FROM events ORDER BY position").fetchall() == rows_before
    assert 10 in {r[0] for r in raw.execute("SELECT version FROM schema_migrations")}
    raw.close()
    status = ok(run("status", "israel-hamas-ceasefire", "--json", db=db)).json()
    assert status["phase"] == "stalled"  # the hand-added rejection still counts
    # The negotiation an old `tracker add` started is known; old articles say why they
    # cannot be extracted again; new ones can.
    ok(run("add", "talks.held", "--actor", "Norland", "--evidence", "Met.", "--negotiation",
           "my-own-talks", db=db))  # fmt: skip
    old = ok(run("reextract", db=db))
    assert "000_46a520fc1d27543f: skipped: its text was not kept" in old.err
    a1, _ = articles(tmp_path)
    define(lambda *a: run(*a, db=db))
    ok(run("ingest", str(a1), db=db))
    assert "a1" in ok(run("search", "tariffs", db=db)).out
    assert ok(run("verify", db=db)).code == 0


@pytest.mark.parametrize(
    "command",
    [
        ("reextract", "norland-vestria-trde"),
        ("search", "tariff", "--negotiation", "norland-vestria-trde"),
    ],
)
def test_a_refusal_names_only_the_options_the_command_has(cli: object, command: tuple) -> None:
    run = cli  # type: ignore[assignment]
    define(run)
    refused = run(*command)
    assert refused.code == 2 and "did you mean norland-vestria-trade?" in refused.err
    assert "--create" not in refused.err and "tracker negotiations add" in refused.err


def test_extract_reads_the_stores_definitions_and_never_writes_one(
    cli: object, tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = cli  # type: ignore[assignment]
    _, a2 = articles(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # no ./tracker.db here: the seeds only
    monkeypatch.delenv("TRACKER_DB", raising=False)
    seeds_only = ok(run("extract", str(a2), "--format", "json", db=None)).json()
    assert seeds_only["negotiations"] == []
    missing = run("extract", str(a2), db=tmp_path / "nowhere.db")
    assert missing.code != 0 and missing.err.count("\n") == 1
    assert not (tmp_path / "nowhere.db").exists()
    define(run)
    ok(run("actors", "add", "Norland", "--kind", "state"))
    ok(run("actors", "add", "Vestria", "--kind", "state"))
    with open_store(db_path) as store:
        head = store.head()
    found = ok(run("extract", str(a2), "--format", "json")).json()
    assert found["negotiations"] == [NEG]
    assert ("proposal.rejected", "Vestria") in {(e["type"], e["actor"]) for e in found["events"]}
    monkeypatch.chdir(tmp_path)  # ./tracker.db is the store when no --db names one
    assert ok(run("extract", str(a2), "--format", "json", db=None)).json() == found
    with open_store(db_path) as store:
        assert store.head() == head  # read, not written

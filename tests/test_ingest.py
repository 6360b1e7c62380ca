"""`tracker ingest` and `tracker extract` from the command line, as a user runs them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tracker.store import open_store

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_46a520fc1d27543f.txt"
GOLD = ROOT / "tests" / "gold"


def test_ingest_seed_then_again(cli: Callable[..., object], db_path: Path) -> None:
    first = cli("ingest", str(SEED))
    assert first.code == 0, first.err  # type: ignore[attr-defined]
    assert "events added" in first.err and "israel-hamas-ceasefire" in first.err  # type: ignore[attr-defined]
    with open_store(db_path) as store:
        head = store.head()
    again = cli("ingest", str(SEED))
    assert again.code == 0 and "already ingested" in again.err  # type: ignore[attr-defined]
    with open_store(db_path) as store:
        assert store.head() == head


def test_ingested_events_carry_source_url(cli: Callable[..., object]) -> None:
    article = GOLD / "articles" / "105_iran_muscat.json"
    assert cli("ingest", str(article)).code == 0  # type: ignore[attr-defined]
    listed = cli("list", "--json").json()  # type: ignore[attr-defined]
    events = [e for e in listed if e["type"] != "article.ingested"]
    assert events and {e["source_url"] for e in events} == {json.loads(article.read_text())["url"]}
    assert all("iran-nuclear" in e["negotiations"] for e in events)


def test_bad_file_among_good_stores_the_good_and_fails(
    cli: Callable[..., object], tmp_path: Path, db_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00\x00binary")
    result = cli("ingest", str(bad), str(SEED))
    assert result.code == 1  # type: ignore[attr-defined]
    assert "bad.txt" in result.err and "1 of 2 articles could not be read" in result.err  # type: ignore[attr-defined]
    with open_store(db_path) as store:
        types = [e.type for e in store.read_all()]
    assert types.count("article.ingested") == 1


def test_only_bad_input_stores_nothing(
    cli: Callable[..., object], tmp_path: Path, db_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = cli("ingest", str(empty))
    assert result.code == 1 and "empty" in result.err  # type: ignore[attr-defined]
    assert "Traceback" not in result.err  # type: ignore[attr-defined]
    with open_store(db_path) as store:
        assert store.head() == 0


def test_extract_json_is_gold_format(cli: Callable[..., object]) -> None:
    result = cli("extract", str(SEED), "--format", "json", db=None)
    assert result.code == 0  # type: ignore[attr-defined]
    data = result.json()  # type: ignore[attr-defined]
    pairs = {(e["type"], e["actor"], e["modality"]) for e in data["events"]}
    assert ("threat.issued", "Israel", "conditional") in pairs
    assert all(e["evidence"] for e in data["events"])


def test_extract_reports_no_events(cli: Callable[..., object], tmp_path: Path) -> None:
    path = tmp_path / "quiet.txt"
    path.write_text("Weather\n\nIt was sunny in Cairo on Sunday.\n")
    result = cli("extract", str(path), db=None)
    assert result.code == 0 and "no events found" in result.err  # type: ignore[attr-defined]


def test_actors_add_and_list(cli: Callable[..., object], db_path: Path) -> None:
    added = cli(
        "actors",
        "add",
        "Ali Larijani",
        "--kind",
        "person",
        "--for",
        "Iran",
        "--alias",
        "Larijani",
    )
    assert added.code == 0 and db_path.is_file()  # type: ignore[attr-defined]
    listed = cli("actors", "list", "--format", "json").json()  # type: ignore[attr-defined]
    assert {"name": "Ali Larijani", "kind": "person", "for": "Iran"}.items() <= next(
        a for a in listed if a["name"] == "Ali Larijani"
    ).items()
    bad = cli("actors", "add", "Someone", "--kind", "person")
    assert bad.code == 2 and "--for" in bad.err  # type: ignore[attr-defined]


def test_a_malformed_actor_file_is_one_line_naming_it(
    cli: Callable[..., object], tmp_path: Path, monkeypatch: object
) -> None:
    user = tmp_path / "mine.toml"
    user.write_text('actors = ["Hezbollah"]\n', encoding="utf-8")
    monkeypatch.setenv("TRACKER_ACTORS", str(user))  # type: ignore[attr-defined]
    for args in (("extract", str(SEED)), ("actors", "add", "Hezbollah", "--file", str(user))):
        result = cli(*args, db=None)
        assert result.code == 1  # type: ignore[attr-defined]
        assert result.err.startswith(f"error: {user}: actors must be an array")  # type: ignore[attr-defined]
    assert user.read_text(encoding="utf-8") == 'actors = ["Hezbollah"]\n'


def test_actors_add_refuses_a_folder_and_leaves_nothing(
    cli: Callable[..., object], tmp_path: Path
) -> None:
    folder = tmp_path / "registry"
    folder.mkdir()
    result = cli("actors", "add", "Hezbollah", "--file", str(folder), db=None)
    assert result.code == 2 and "folder" in result.err  # type: ignore[attr-defined]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registry"]

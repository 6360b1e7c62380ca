"""Input that is refused rather than coerced, at the edge: article JSON, `add`, `feeds add`;
negotiation ids that are slugs; over-long articles cut at a paragraph, with the cut recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.article import MAX_ARTICLE_CHARS, Article, cut_text
from tracker.slugs import SlugError, is_slug, negotiation_id
from tracker.store import open_store


def article_file(tmp_path: Path, name: str = "a.json", **fields: object) -> Path:
    data = {"id": "a1", "text": "Hamas said it would study the proposal.", **fields}
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.code != 0, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    assert "unexpected" not in lines[0] and "Traceback" not in result.err
    return lines[0]


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    with open_store(db) as store:
        return store.head()


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"negotiation": "israel/hamas-ceasefire"}, "negotiation"),
        ({"negotiation": "x" * 300}, "negotiation"),
        ({"negotiation": "../../etc/passwd"}, "negotiation"),
        ({"published_approximate": "maybe"}, "published_approximate"),
        ({"id": ["a", "b"]}, '"id"'),
        ({"title": {"nested": 1}}, '"title"'),
        ({"text": "Talks \ud800 resumed in Cairo."}, "surrogate"),
        ({"title": "Talks \udfff"}, "surrogate"),
    ],
)
def test_article_json_fields_are_refused_in_one_line_naming_the_field(
    cli, tmp_path, db_path, fields, named
):
    path = article_file(tmp_path, **fields)
    for command in ("ingest", "extract"):
        line = one_line_error(cli(command, str(path), db=db_path if command == "ingest" else None))
        assert named in line, line
    assert stored(db_path) == 0


def test_two_hundred_thousand_nested_brackets_are_one_line(cli, tmp_path, db_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    assert "nested too deeply" in one_line_error(cli("ingest", str(path)))
    path.write_text('{"id": "d", "text": "x", "extra": ' + "[" * 200_000 + "]" * 200_000 + "}")
    assert "nested too deeply" in one_line_error(cli("ingest", str(path)))
    assert stored(db_path) == 0


def test_a_well_formed_article_json_still_goes_in(cli, tmp_path):
    path = article_file(tmp_path, negotiation="my-talks", published_approximate=True)
    result = cli("ingest", str(path), "--create")  # a negotiation the store does not know yet
    assert result.code == 0, result.err


@pytest.mark.parametrize(
    "bad", ["Gaza/Ceasefire", "a" * 65, "two--hyphens", "-lead", "", "ü-talks"]
)
def test_add_and_feeds_add_refuse_a_negotiation_that_is_not_a_slug(cli, tmp_path, db_path, bad):
    added = cli("add", "proposal.made", "--actor", "Israel", "--evidence", "Israel proposed.",
                "--negotiation", bad)  # fmt: skip
    assert added.code == 2 and "--negotiation must be a slug" in one_line_error(added)
    feed = tmp_path / "feed.xml"
    feed.write_text("<rss version='2.0'><channel><title>t</title></channel></rss>")
    subscribed = cli("feeds", "add", str(feed), "--negotiation", bad)
    assert subscribed.code == 2 and "--negotiation" in one_line_error(subscribed)
    assert stored(db_path) == 0


def test_slugs():
    assert is_slug("israel-hamas-ceasefire") and is_slug("n1") and is_slug("a" * 64)
    assert not any(map(is_slug, ["A", "a_b", "a b", "a/b", ".a", "a" * 65, 3, None]))
    with pytest.raises(SlugError, match="try israel-hamas-ceasefire"):
        negotiation_id("Israel/Hamas ceasefire")


def paragraphs(count: int) -> str:
    para = "Negotiators met again in Cairo on Monday and said the talks would go on. " * 10
    return "\n\n".join(f"{n}. {para.strip()}" for n in range(count))


def test_an_article_over_the_limit_is_cut_at_a_paragraph_and_says_so():
    text = paragraphs(600)
    assert len(text) > 3 * MAX_ARTICLE_CHARS
    article = Article(id="long", text=text)
    assert article.cut_from == len(text)
    assert len(article.text) <= MAX_ARTICLE_CHARS
    assert text.startswith(article.text)  # a prefix: evidence offsets stay valid
    assert text[len(article.text) : len(article.text) + 2] == "\n\n"  # at a paragraph end
    assert Article(id="short", text="Short.").cut_from is None


def test_cut_text_without_paragraphs_falls_back_to_a_sentence():
    text = "One sentence here. " * 20
    cut = cut_text(text, 100)
    assert len(cut) <= 100 and cut.endswith(".")


def test_ingest_records_the_cut_on_the_stored_article(cli, tmp_path, db_path):
    path = article_file(tmp_path, text=paragraphs(600))
    result = cli("ingest", str(path))
    assert result.code == 0, result.err
    assert "cut at a paragraph boundary" in result.err
    with open_store(db_path) as store:
        [article] = [e.payload for e in store.read_all(types=["article.ingested"])]
    assert article["cut_from"] == len(paragraphs(600))


def test_undecodable_bytes_on_the_command_line_are_one_line_naming_the_field(cli, db_path):
    result = cli("add", "proposal.made", "--actor", "Israel", "--negotiation", "n1", "--create",
                 "--evidence", "bad \udcff byte")  # fmt: skip
    assert result.code == 2 and "Evidence field text" in one_line_error(result)
    assert stored(db_path) == 0


def test_a_nul_character_is_dropped_so_every_backend_keeps_the_same_text() -> None:
    article = Article(id="n", title="Talks\x00 resume", text="Envoys\x00 met in Doha.")
    assert (article.title, article.text) == ("Talks resume", "Envoys met in Doha.")


@pytest.mark.parametrize("db", ["POSTGRESQL:///nowhere?host=/nonexistent", "mysql://h/x"])
def test_a_database_url_is_never_taken_for_a_file_name(cli, tmp_path, monkeypatch, db) -> None:
    monkeypatch.chdir(tmp_path)
    assert one_line_error(cli("init", "--db", db, db=None))
    assert list(tmp_path.iterdir()) == []  # no folder named after the URL, no SQLite file

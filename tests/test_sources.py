"""Reading articles: JSON, text with a sidecar, HTML, URLs, and every kind of bad input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tracker.errors import TrackerError
from tracker.sources import article_from_html, load_article

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_46a520fc1d27543f.txt"

PAGE = """<!doctype html><html><head><title>Talks resume in Doha | Wire</title>
<meta property="article:published_time" content="2025-02-03"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Talks resume in Doha</h1>
<p>Qatar hosted a new round of talks between Israel and Hamas in Doha on Monday, officials said.</p>
<p>Hamas rejected the latest Israeli proposal, according to two sources close to the talks, and
asked for amendments to the timetable of the Israeli withdrawal from Gaza.</p>
<p>The mediators said they would keep working with both sides in the coming days.</p>
</article><footer>Copyright Wire 2025. All rights reserved.</footer></body></html>"""


def test_text_file_with_sidecar_metadata() -> None:
    article = load_article(str(SEED))
    assert article.id == "000_46a520fc1d27543f"
    assert article.title.startswith("Blinken Calls On Hamas")
    assert article.published == date(2024, 4, 30) and article.published_approximate
    assert article.text == SEED.read_text(encoding="utf-8")  # kept as given, for offsets


def test_published_flag_overrides(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Title\n\nHamas rejected the proposal.\n")
    article = load_article(str(path), published=date(2025, 1, 2))
    assert article.published == date(2025, 1, 2) and article.title == "Title"


def test_article_json(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({
        "id": "x1", "url": "https://example.org/x", "title": "T", "published": "2025-03-04",
        "source": "Wire", "text": "Israel rejected the offer.", "negotiation": "n1",
    }))  # fmt: skip
    article = load_article(str(path))
    assert (article.id, article.url, article.published) == (
        "x1",
        "https://example.org/x",
        date(2025, 3, 4),
    )
    assert getattr(article, "negotiation", None) == "n1"


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE)
    article = load_article(str(path))
    assert "Qatar hosted a new round of talks" in article.text
    assert "Home" not in article.text and "All rights reserved" not in article.text
    assert article.published == date(2025, 2, 3)


def test_article_from_html_for_feeds() -> None:
    article = article_from_html(PAGE.encode(), "https://wire.example/doha", source="Wire")
    assert article.url == "https://wire.example/doha" and article.source == "Wire"
    assert article.id  # stable id from the URL
    assert article_from_html(PAGE, "https://wire.example/doha").id == article.id


def _bad(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n  ", "empty"),
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("latin1.txt", "Hamas a refus\xe9 la proposition".encode("latin-1"), "UTF-8"),
        (
            "nav.html",
            b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
            "no article text",
        ),
        ("list.json", b"[1, 2]", "object"),
        ("notext.json", b'{"id": "a", "text": ""}', "no text"),
        ("broken.json", b'{"id": ', "not valid JSON"),
        ("baddate.json", b'{"id": "a", "text": "x", "published": "soon"}', "published"),
    ],
)
def test_bad_input_is_one_line_error(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(TrackerError) as info:
        load_article(_bad(tmp_path, name, content))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_oversize_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024)
    with pytest.raises(TrackerError, match="larger than"):
        load_article(str(path))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TrackerError, match="no such file"):
        load_article(str(tmp_path / "nope.txt"))


def test_unreachable_url_is_one_line_error() -> None:
    with pytest.raises(TrackerError) as info:
        load_article("http://127.0.0.1:9/article")
    assert "127.0.0.1" in str(info.value) and "\n" not in str(info.value)

"""The use cases that append: an article is one transaction and is known by id and by text."""

from __future__ import annotations

from datetime import date

from tests.conftest import SEED_ARTICLE
from tracker.article import Article
from tracker.services import article_stream, ingest_article
from tracker.store import SQLiteEventStore


def seed(article_id: str, text: str | None = None) -> Article:
    body = SEED_ARTICLE.read_text(encoding="utf-8") if text is None else text
    return Article(id=article_id, title="seed", published=date(2024, 4, 30), text=body)


def test_an_article_is_stored_once_by_id(store: SQLiteEventStore) -> None:
    first = ingest_article(store, seed("a1"))
    head = store.head()
    again = ingest_article(store, seed("a1"))
    assert not first.already and again.already and store.head() == head
    stored = list(store.read_stream(article_stream("a1")))
    assert stored[0].type == "article.ingested"
    assert len(stored) == 1 + first.events


def test_the_same_text_under_another_id_adds_nothing(store: SQLiteEventStore) -> None:
    ingest_article(store, seed("from-file"))
    head = store.head()
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    reflowed = "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))  # as a feed gives it
    twin = ingest_article(store, seed("from-feed", reflowed))
    assert twin.already and twin.same_as == "from-file"
    assert store.head() == head and store.stream_version(article_stream("from-feed")) == 0


def test_a_different_text_is_a_different_article(store: SQLiteEventStore) -> None:
    ingest_article(store, seed("one"))
    other = ingest_article(store, seed("two", "Talks resumed in Doha on Monday."))
    assert not other.already and store.stream_version(article_stream("two")) >= 1

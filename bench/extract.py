"""Extraction throughput: articles/s and sentences/s over generated wire copy, peak memory.

Run: .venv/bin/python bench/extract.py [N]   (default 2,000 articles)
The articles are assembled from sentence templates with varied actors, numbers and places,
so every run measures the same work. The baseline is the sentence splitter alone over the
same text, measured in the same run, so the ratio is comparable across machines."""

from __future__ import annotations

import platform
import random
import resource
import sys
import time
import tracemalloc
from datetime import date

from tracker.article import Article
from tracker.extract import extract_article
from tracker.extract.normalise import normalise
from tracker.extract.sentences import split_sentences

PARTIES = [
    ("Israel", "Hamas"),
    ("Russia", "Ukraine"),
    ("Armenia", "Azerbaijan"),
    ("Iran", "the United States"),
]
MEDIATORS = ["Egypt", "Qatar", "Oman", "Turkey", "Saudi Arabia"]
PLACES = ["Cairo", "Doha", "Geneva", "Istanbul", "Jeddah"]
TEMPLATES = [
    "{a} rejected the latest proposal from {b} on Monday, officials said.",
    "{m} presented a new ceasefire proposal to {a} and {b} that would free {n} prisoners "
    "over six weeks.",
    "A delegation from {a} is expected to arrive in {p} on Sunday to discuss the plan.",
    "Should {b} reject the offer, {a} would launch a new offensive, officials warned.",
    "{a} said it was studying the proposal and would respond within days.",
    "The two sides held talks in {p} for the third day, according to sources close to the talks.",
    "{m} urged both sides to accept the truce and release the {n} detainees.",
    "{b} has not objected to the framework, a senior official told reporters.",
    "In 2021, {a} and {b} agreed to a short truce that collapsed within weeks.",
    "The weather in {p} was mild, and markets were calm as traders waited for news.",
    "{a} accused {b} of violating the ceasefire with a drone strike overnight.",
    "{m}'s foreign minister welcomed the agreement and called for its swift implementation.",
]


def make_articles(n: int, seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    articles = []
    for i in range(n):
        a, b = rng.choice(PARTIES)
        sentences = [
            rng.choice(TEMPLATES).format(
                a=a, b=b, m=rng.choice(MEDIATORS), p=rng.choice(PLACES), n=rng.randint(3, 90)
            )
            for _ in range(rng.randint(8, 16))
        ]
        paragraphs = "\n\n".join(
            " ".join(sentences[j : j + 2]) for j in range(0, len(sentences), 2)
        )
        articles.append(Article(id=f"b{i}", text=paragraphs, published=date(2025, 5, 1)))
    return articles


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    articles = make_articles(n)
    extract_article(articles[0])  # load the registry and lexicon outside the timing
    sentences = sum(len(split_sentences(normalise(a.text).text)) for a in articles)

    started = time.perf_counter()
    for article in articles:
        split_sentences(normalise(article.text).text)
    baseline = time.perf_counter() - started

    tracemalloc.start()
    started = time.perf_counter()
    events = 0
    for article in articles:
        events += len(extract_article(article).events)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # tracemalloc slows Python down; time once more without it for the headline figure.
    started = time.perf_counter()
    for article in articles:
        extract_article(article)
    plain = time.perf_counter() - started

    print(
        f"machine: {platform.platform()} / {platform.processor() or platform.machine()} / "
        f"Python {platform.python_version()}"
    )
    print(f"articles: {n}, sentences: {sentences}, events: {events}")
    print(f"extract: {n / plain:,.0f} articles/s, {sentences / plain:,.0f} sentences/s (one core)")
    print(f"peak traced memory during extraction: {peak / 1e6:.1f} MB ({elapsed:.2f} s traced)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the process: {rss:.0f} MB")
    print(f"baseline (normalise + split only): {n / baseline:,.0f} articles/s")
    print(f"ratio: extraction takes {plain / baseline:.1f}x the baseline's time")


if __name__ == "__main__":
    main()

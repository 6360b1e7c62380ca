"""Generated wire copy for the extraction bench when the dev corpus is not beside the
checkout: sentence templates with varied actors, numbers and places, so every run measures
the same work."""

from __future__ import annotations

import random
from datetime import date

from tracker.article import Article

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

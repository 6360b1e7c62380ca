"""Extraction on real news it was not written for: the dev corpus in ../shared/devcorpus
(public-domain VOA stories with gold events), scored by ../shared/eval/score.py's matching.
The floors are today's measured figures less a margin: a change that loses them has made
extraction worse on real text. Every evidence span must be the article's own text."""

from __future__ import annotations

import importlib.util
import json
from types import ModuleType
from typing import Any

import pytest
from shared_files import shared

from tracker.extract import extract_article
from tracker.sources import load_article

CORPUS = shared("devcorpus/voa")
SCORER = shared("eval/score.py")


def scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def runs() -> list[tuple[str, str, list[dict[str, Any]], list[dict[str, Any]]]]:
    """(article id, article text, predicted events as JSON, gold events) per story."""
    out = []
    for path in sorted((CORPUS / "articles").glob("*.json")):
        article = load_article(str(path))
        events = extract_article(article).events
        predicted = [json.loads(e.model_dump_json()) for e in events]
        gold = json.loads((CORPUS / "gold" / path.name).read_text())["events"]
        out.append((path.stem, article.text, predicted, gold))
    return out


def test_real_news_scores_at_least_todays_figures(runs: list[Any]) -> None:
    score = scorer()
    tp = fp = fn = 0
    for _, _, predicted, gold in runs:
        a, b, c, _ = score.match(predicted, gold)
        tp, fp, fn = tp + a, fp + b, fn + c
    precision, recall, f1 = score.prf(tp, fp, fn)
    # Measured: P .758 R .797 F1 .777 (before this round .734/.797/.764; the parse frames'
    # first landing .500/.458/.478; rules only .316/.203/.247). Each floor holds on its own.
    assert precision >= 0.74 and recall >= 0.78 and f1 >= 0.76, (precision, recall, f1)


def test_stories_about_no_negotiation_yield_about_one_event_at_most(runs: list[Any]) -> None:
    distractors = set((CORPUS / "distractors.txt").read_text().split())
    counts = [len(predicted) for story, _, predicted, _ in runs if story in distractors]
    assert len(counts) == len(distractors) and sum(counts) / len(counts) <= 1.0, counts


def test_every_evidence_span_is_the_articles_own_text(runs: list[Any]) -> None:
    spans = 0
    for _, text, predicted, _ in runs:
        for event in predicted:
            for evidence in event["evidence"]:
                assert text[evidence["start"] : evidence["end"]] == evidence["text"]
                spans += 1
    assert spans > 30


def test_hedged_events_keep_their_modality_on_real_news(runs: list[Any]) -> None:
    """Of the required events gold marks planned, predicted or conditional that extraction
    finds, the share it marks the same (measured: 3 of 7, none found before the frames)."""
    score = scorer()
    pairs = [pair for _, _, predicted, gold in runs for pair in score.match(predicted, gold)[3]]
    hedged = [
        (p["modality"], g["modality"])
        for p, g in pairs
        if g.get("required", True) and g["modality"] != "asserted"
    ]
    same = sum(p == g for p, g in hedged)
    assert len(hedged) >= 5 and same / len(hedged) >= 0.4, hedged

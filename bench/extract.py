"""Extraction speed on real news, on one core, beside the parser's own cost.

Run: .venv/bin/python bench/extract.py [ROUNDS]   (default 3)
Reads the dev corpus's full-length stories (../shared/devcorpus/voa/articles; without it, the
generated wire copy of bench/extract_copy.py) and prints, all measured in this run, in CPU
seconds of this process (time.process_time, so other load on the machine does not count):
- extraction: articles/s of `extract_article` (registry, rules, the parse of the sentences
  that hold a predicate, frames, merge);
- baseline: the same spaCy pipeline (tagger, parser, lemmatizer, as extraction loads it) over
  every sentence of the same articles, and the full pipeline with NER over every sentence;
- the peak resident memory of the process;
- the whole-process time of `tracker status` and whether it imported spaCy (it must not);
- one article of 10 KB, 100 KB and 1 MB of text (the stories' paragraphs repeated), each in a
  process of its own: CPU time and peak memory beside the 10 KB one, so growth with size
  shows (linear: the same time per character). Past tracker.article.MAX_ARTICLE_CHARS the
  text is cut at a paragraph before extraction, so 1 MB costs what 100 KB does.
Run one size alone: .venv/bin/python bench/extract.py --size CHARS"""

from __future__ import annotations

import json
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import spacy

from tracker.article import Article
from tracker.extract import extract_article
from tracker.extract.normalise import normalise
from tracker.extract.parse import pipeline
from tracker.extract.sentences import split_sentences

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "devcorpus" / "voa" / "articles"


def articles() -> tuple[str, list[Article]]:
    if DEV.is_dir():
        found = []
        for path in sorted(DEV.glob("*.json")):
            data = json.loads(path.read_text())
            found.append(Article(id=data["id"], text=data["text"], title=data.get("title")))
        return f"dev corpus ({DEV})", found
    from extract_copy import make_articles  # generated wire copy, when ../shared is absent

    return "generated wire copy (no ../shared/devcorpus beside the checkout)", make_articles(30)


def cpu(work: object, rounds: int) -> float:
    assert callable(work)
    started = time.process_time()
    for _ in range(rounds):
        work()
    return (time.process_time() - started) / rounds


def status_process() -> tuple[float, bool]:
    """Wall time of a whole `tracker status` process, and whether it imported spaCy."""
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "t.db")
        tracker = str(Path(sys.executable).parent / "tracker")
        subprocess.run([tracker, "init", "--db", db], check=True, capture_output=True)
        started = time.perf_counter()
        subprocess.run([tracker, "status", "--db", db], check=False, capture_output=True)
        elapsed = time.perf_counter() - started
        probe = (
            "import sys; from tracker.cli.app import main; "
            f"main(['status', '--db', {db!r}]); print('spacy' in sys.modules)"
        )
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
        return elapsed, out.stdout.strip().endswith("True")


SIZES = (10_000, 100_000, 1_000_000)  # characters of one article's text


def sized_text(stories: list[Article], size: int) -> str:
    """`size` characters of the stories' paragraphs, in one shuffled order (the same in every
    run, so each size holds the same mix of news), repeated as often as it takes."""
    paragraphs = [p for a in stories for p in a.text.split("\n\n") if p.strip()]
    random.Random(7).shuffle(paragraphs)
    out: list[str] = []
    length = 0
    while length < size:
        paragraph = paragraphs[len(out) % len(paragraphs)]
        out.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(out)[:size]


def one_size(size: int) -> None:
    """In this process: extract one article of `size` characters; print what it cost."""
    _, stories = articles()
    extract_article(stories[0])  # the parser and the rules loaded before the measure
    before = peak_mb()
    article = Article(id="sized", text=sized_text(stories, size))
    started = time.process_time()
    events = extract_article(article).events
    took = time.process_time() - started
    peak = peak_mb()
    print(json.dumps({"read": len(article.text), "events": len(events), "cpu": took,
                      "peak": peak, "loaded": before}))  # fmt: skip


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux keeps ru_maxrss
    across exec, so a child started from this bench would report the parent's peak."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def by_size() -> list[str]:
    rows, base = [], None
    for size in SIZES:
        done = subprocess.run(
            [sys.executable, __file__, "--size", str(size)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        got = json.loads(done.stdout.splitlines()[-1])
        per = got["cpu"] / got["read"] * 100_000
        base = base or per
        rows.append(
            f"  {size / 1000:>5,.0f} KB text, {got['read']:>7,} chars extracted: "
            f"{got['cpu']:6.2f} s CPU ({per:5.2f} s per 100K chars, {per / base:4.2f}x the 10 KB "
            f"rate), {got['events']:>4} events, peak {got['peak']:.0f} MB "
            f"(+{got['peak'] - got['loaded']:.0f} MB over the loaded parser)"
        )
    return rows


def main() -> None:
    if sys.argv[1:2] == ["--size"]:
        one_size(int(sys.argv[2]))
        return
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    source, stories = articles()
    extract_article(stories[0])  # load the registry, lexicon and parser outside the timing
    texts = [s.text for a in stories for s in split_sentences(normalise(a.text).text)]
    tokens = sum(len(a.text.split()) for a in stories)
    nlp = pipeline()
    full = spacy.load(_model_name(nlp))

    extraction = cpu(lambda: [extract_article(a) for a in stories], rounds)
    parse_all = cpu(lambda: list(nlp.pipe(texts)), rounds)
    with_ner = cpu(lambda: list(full.pipe(texts)), max(1, rounds - 1))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    status_s, loads_spacy = status_process()

    n = len(stories)
    python = platform.python_version()
    print(f"machine: {platform.platform()} / {platform.machine()} / Python {python}")
    print(f"corpus: {source}: {n} articles, {len(texts)} sentences, ~{tokens / n:.0f} words each")
    print(f"extraction:                 {n / extraction:6.1f} articles/s  (CPU, one core)")
    print(f"baseline, parse every sentence (same pipeline): {n / parse_all:6.1f} articles/s")
    print(f"baseline, parse every sentence with NER:        {n / with_ner:6.1f} articles/s")
    print(f"extraction is {parse_all / extraction:.1f}x faster than parsing every sentence")
    print(f"peak resident memory: {rss:.0f} MB")
    print(f"whole `tracker status` process: {status_s:.2f} s, imports spaCy: {loads_spacy}")
    print("one article by size (a process each):")
    for row in by_size():
        print(row)


def _model_name(nlp: spacy.language.Language) -> str:
    return f"{nlp.meta['lang']}_{nlp.meta['name']}"


if __name__ == "__main__":
    main()

"""Poll 500 generated feeds of 20 entries each from a local HTTP server (in its own process):
a first poll that ingests all 10,000 entries (extraction included), then a second poll where
every feed answers 304. Prints times, peak memory, and ratios to baselines measured in the
same run: feedparser alone on the same documents, and plain GETs of the same URLs.

As in a real news feed, most entries are about nothing the tracker follows: one in ten
(ROUTED_EVERY) reports the talks, the others are local news, sport, weather and markets that
route to no negotiation. Extraction is timed on its own, in this process, on the same
10,000 articles, and printed apart from the rest; "everything but extraction" is the CPU of
the first poll (this process and its workers) less that extraction time. Peak memory is the
sum over this process and the workers (bench/memory.py), not this process alone.

Usage: python bench/poll.py [FEEDS] [ENTRIES] [PROCESSES]
(default 500 20, one process per core; targets: < 30 s and < 3 s)
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import feedparser  # noqa: E402
from feedserver import FeedServer, rss  # noqa: E402

from bench.machine import describe  # noqa: E402
from bench.memory import PeakTreeRss  # noqa: E402
from tracker.article import Article  # noqa: E402
from tracker.extract import extract_article  # noqa: E402
from tracker.feeds import subscribe  # noqa: E402
from tracker.feeds.poll import DEFAULT_JOBS, PollOptions, with_headline  # noqa: E402
from tracker.feeds.workers import auto_processes, poll_in_processes  # noqa: E402
from tracker.http import new_client  # noqa: E402
from tracker.store import open_store  # noqa: E402

SENTENCES = [
    "Egypt said the Israeli and Hamas delegations would meet again in Cairo on {day}.",
    "Israel proposed a pause in the fighting of {n} days in exchange for the release of hostages.",
    "Hamas said it was studying the proposal and would respond within {n} days.",
    "Qatar called on both sides to accept the deal, saying gaps remained on {topic}.",
    "A Hamas official rejected the latest draft, saying it fell short on {topic}.",
]
ROUTED_EVERY = 10  # one entry in ten is about the talks
UNRELATED = [
    "The city council approved a new budget for road repairs on {day}.",
    "Local schools will reopen after the holiday, officials said.",
    "The home team won {n} to 1 in front of a record crowd.",
    "Forecasters expect heavy rain and strong winds until {day}.",
    "Shares of the carmaker rose {n} percent after strong quarterly sales.",
]
TOPICS = ["the sequencing of releases", "a permanent ceasefire", "the return of displaced people"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def items(feed: int, entries: int) -> list[dict[str, str]]:
    made = []
    for e in range(entries):
        routed = (feed * entries + e) % ROUTED_EVERY == 0
        sentences = SENTENCES if routed else UNRELATED
        text = " ".join(
            s.format(day=DAYS[(feed + e + i) % 5], n=feed % 40 + e + 2, topic=TOPICS[(e + i) % 3])
            for i, s in enumerate(sentences)
        )
        made.append(
            {
                "title": f"Feed {feed}, report {e}: {'talks continue' if routed else 'in brief'}",
                "guid": f"urn:bench:{feed}:{e}",
                "link": f"https://news.invalid/{feed}/{e}",
                "description": f"Report {e} of feed {feed}. {text}",
                "pubDate": f"Mon, {1 + e % 28:02d} Apr 2024 12:00:00 GMT",
            }
        )
    return made


def document(feed: int, entries: int) -> bytes:
    return rss(items(feed, entries), title=f"Bench feed {feed}")


def extraction_alone(feeds: int, entries: int) -> tuple[float, int, int]:
    """CPU seconds to extract every generated entry here, as the poller builds its article
    (headline, blank line, text); how many articles, and how many routed to a negotiation."""
    articles = [
        Article(
            id=f"bench{feed}x{n}",
            url=item["link"],
            title=item["title"],
            published=date(2024, 4, 1 + n % 28),
            source="news.invalid",
            text=with_headline(item["title"], item["description"]),
        )
        for feed in range(feeds)
        for n, item in enumerate(items(feed, entries))
    ]
    extract_article(articles[0])  # the first call loads the lexicon and the parser model
    started = time.process_time()
    routed = sum(bool(extract_article(article).negotiations) for article in articles)
    return time.process_time() - started, len(articles), routed


def serve(feeds: int, entries: int, ready: multiprocessing.Queue[str]) -> None:
    server = FeedServer().start()
    for f in range(feeds):
        server.add(f"/feed/{f}.xml", body=document(f, entries), etag=f'"f{f}"')
    ready.put(server.base)
    while True:
        time.sleep(3600)


def main() -> None:
    feeds = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    entries = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    print(describe())
    cores = int(sys.argv[3]) if len(sys.argv) > 3 else auto_processes(feeds)
    opts = PollOptions()
    print(
        f"feeds: {feeds} x {entries} entries, {cores} processes x {DEFAULT_JOBS} fetching at once"
    )
    ready: multiprocessing.Queue[str] = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(feeds, entries, ready), daemon=True)
    server.start()
    base = ready.get(timeout=120)
    urls = [f"{base}/feed/{f}.xml" for f in range(feeds)]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.db"
            with open_store(db) as store:
                ids = [subscribe(store, url, every_s=900).feed_id for url in urls]

            cpu_before = _cpu()
            with PeakTreeRss(skip={server.pid or 0}) as peak:
                started = time.perf_counter()
                first = poll_in_processes(db, ids, processes=cores, jobs=DEFAULT_JOBS, options=opts)
                first_s = time.perf_counter() - started
            poll_cpu = _cpu() - cpu_before
            new = sum(r.new_articles for r in first)
            events = sum(r.new_events for r in first)
            errors = [r.error for r in first if r.error]

            started = time.perf_counter()
            second = poll_in_processes(db, ids, processes=cores, jobs=DEFAULT_JOBS, options=opts)
            second_s = time.perf_counter() - started
            unchanged = sum(r.outcome == "unchanged" and r.new_articles == 0 for r in second)

            # Baselines on the same machine, same run: plain GETs, then feedparser alone.
            with new_client() as client:
                started = time.perf_counter()
                bodies = [client.get(url).content for url in urls]
                get_s = time.perf_counter() - started
            started = time.perf_counter()
            parsed = sum(len(feedparser.parse(body).entries) for body in bodies)
            parse_s = time.perf_counter() - started
    finally:
        server.terminate()
    extract_cpu, articles, routed = extraction_alone(feeds, entries)
    self_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    largest_child_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"first poll:  {first_s:6.2f} s  {new:,} new articles, {events:,} events, "
          f"{len(errors)} errors "
          f"(target < 30 s)")  # fmt: skip
    print(f"second poll: {second_s:6.2f} s  {unchanged} of {feeds} feeds unchanged (304)  "
          f"(target < 3 s)")  # fmt: skip
    print(f"  routed to a negotiation: {routed:,} of {articles:,} articles "
          f"(one in {ROUTED_EVERY} is about the talks)")  # fmt: skip
    print(f"  extraction alone, same articles, this process, one core: {extract_cpu:.2f} s CPU, "
          f"{articles / extract_cpu:,.0f} articles/s")  # fmt: skip
    rest = poll_cpu - extract_cpu
    print(f"  CPU of the first poll (this process and workers) {poll_cpu:.2f} s; "
          f"everything but extraction "
          f"{rest:.2f} s CPU (about {rest / cores:.2f} s wall on {cores} processes; "
          f"target < 30 s)")  # fmt: skip
    print(f"peak memory: {peak.bytes / 2**20:6.1f} MiB resident in {peak.processes} processes "
          f"together (this one and the workers; sampled every 50 ms); this process alone "
          f"{self_mib:.1f} MiB, largest child {largest_child_mib:.1f} MiB")  # fmt: skip
    print(f"baseline: {feeds} plain sequential GETs {get_s:.2f} s; feedparser alone on "
          f"{parsed:,} entries {parse_s:.2f} s")  # fmt: skip
    print(f"ratios: first poll / feedparser alone = {first_s / parse_s:.1f}x; "
          f"second poll / plain GETs = {second_s / get_s:.1f}x")  # fmt: skip
    if errors:
        print("first errors:", errors[:3])


def _cpu() -> float:
    """CPU seconds of this process and its reaped children (the poll's workers), summed."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()

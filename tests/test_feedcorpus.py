"""Robustness over every file of ../shared/feedcorpus/, each served over HTTP by the test
server (with the `Header:` lines of the feedparser files, as upstream serves them) and polled
into one shared store: no crash, no hang, each file ingested or a clear FeedFailed. The
adversarial files get their specific expectations from the corpus README."""

from __future__ import annotations

import re
import resource
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from feedserver import FeedServer, Route
from shared_files import shared

from tracker.feeds import PollOptions, poll_feed, subscribe
from tracker.feeds.state import get_feed
from tracker.http import new_client
from tracker.store import SQLiteEventStore, open_store

CORPUS = shared("feedcorpus")
FILES = sorted(
    p for p in CORPUS.rglob("*") if p.is_file() and p.name not in ("LICENSE", "README.md")
)
ADVERSARIAL = CORPUS / "adversarial"
CLIENT = new_client(10.0)  # one client for the whole corpus: connection reuse


def head_text(data: bytes) -> str:
    """The start of a file as text, whatever its encoding (UTF-16/32 headers included)."""
    for bom, codec in ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
                       (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
                       (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
                       (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le")):  # fmt: skip
        if data.startswith(bom):
            return data[:4000].decode(codec, errors="replace")
    return data[:4000].decode("latin-1")


def route_for(path: Path) -> Route:
    data = path.read_bytes()
    headers = dict(
        (name.strip(), value.strip())
        for name, value in re.findall(r"^Header:\s*([\w-]+):(.*)$", head_text(data), re.M)
    )
    if not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = "text/html" if path.suffix == ".html" else "text/xml"
    return Route(body=data, headers=headers, raw_headers=True, etag='"corpus"')


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FeedServer, SQLiteEventStore]]:
    tmp = Path(tempfile.mkdtemp(prefix="feedcorpus-"))
    with FeedServer() as server, open_store(tmp / "corpus.db") as store:
        for path in FILES:
            server.add("/" + path.relative_to(CORPUS).as_posix(), route_for(path))
        yield server, store
    shutil.rmtree(tmp, ignore_errors=True)


def poll_path(served: tuple[FeedServer, SQLiteEventStore], path: Path) -> tuple[str, str]:
    """Subscribe to the served file, poll it; return (outcome, reason or warning)."""
    server, store = served
    url = server.url("/" + path.relative_to(CORPUS).as_posix())
    feed = subscribe(store, url, every_s=3600)
    report = poll_feed(store, feed, PollOptions(timeout=10.0, client=CLIENT))
    state = get_feed(store, feed.feed_id)
    assert state is not None
    if report.outcome in ("failed", "gone"):
        # A clear FeedFailed: recorded in the log, one line, saying why.
        assert state.status == "failing" and state.last_error == report.error
        assert report.error and "\n" not in report.error and "Traceback" not in report.error
        return "failed", report.error
    assert report.outcome in ("new", "nothing new", "unchanged"), report
    assert state.last_poll_at is not None  # FeedPolled recorded: the file was ingested
    return report.outcome, report.warning or ""


def folder(path: Path) -> str:
    """feedparser/tests/wellformed/rss/x.xml -> wellformed"""
    return path.relative_to(CORPUS / "feedparser" / "tests").parts[0]


UPSTREAM = [p for p in FILES if p.is_relative_to(CORPUS / "feedparser" / "tests")]


@pytest.mark.timeout(240)
@pytest.mark.parametrize("name", sorted({folder(p) for p in UPSTREAM}))
def test_every_feedparser_file_is_ingested_or_fails_clearly(served, name):
    files = [p for p in UPSTREAM if folder(p) == name]
    assert files
    outcomes = {path.name: poll_path(served, path) for path in files}
    if name in ("wellformed", "entities"):  # readable by design: nothing may fail
        failed = {name: why for name, (outcome, why) in outcomes.items() if outcome == "failed"}
        assert failed == {}


def test_adversarial_files(served):
    results = {path.name: poll_path(served, path) for path in sorted(ADVERSARIAL.iterdir())}
    outcome = {name: r[0] for name, r in results.items()}
    why = {name: r[1] for name, r in results.items()}
    assert "entity" in why["billion_laughs_entity_expansion.xml"]
    assert outcome["billion_laughs_entity_expansion.xml"] == "failed"
    assert "external entity" in why["xxe_external_entity_etc_passwd.xml"]
    assert "empty" in why["empty_file.xml"]
    assert "HTML page" in why["html_page_instead_of_feed.html"]
    assert "https://example.com/feed.xml" in why["html_page_instead_of_feed.html"]
    assert (
        outcome["huge_single_entry_5mb.xml"] == "new"
        and "cut to" in why["huge_single_entry_5mb.xml"]
    )
    assert "invalid UTF-8" in why["invalid_utf8_bytes.xml"]
    server, store = served
    stored = "".join(e.payload.__repr__() for e in store.read_all())
    assert "root:x:0:0" not in stored and "lollollol" not in stored
    # every entry of the valid files is in, once
    by_feed = {e.payload["url"]: e.payload for e in store.read_all(types=["feed.polled"])}

    def found(name: str) -> int:
        return int(by_feed[server.url(f"/adversarial/{name}")]["found"])

    assert found("rss_2000_entries.xml") == 2000
    assert found("atom_duplicate_entry_ids.xml") == 6
    # peak memory of the whole run stays far below the 3 GB a billion laughs would take
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1024 * 1024  # KiB: 1 GiB


def test_invalid_bytes_are_never_stored(served):
    _, store = served
    for event in store.read_all(types=["article.ingested"]):
        title = str(event.payload.get("title", ""))
        title.encode("utf-8")  # surrogates or undecodable bytes would raise here

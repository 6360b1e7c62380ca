"""The tracker on a real PostgreSQL server (tests/pg.py): the CLI with --db as a URL,
migrations applied and recorded, one-line errors, and three schedulers sharing one log."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from conftest import SEED_ARTICLE, CliResult
from feedserver import FeedServer, rss
from pg import as_user, fresh_role
from test_arrival_order_cli import TALKS, UNION, _plain, add_b, ingest_a

from tracker.errors import SchemaTooNewError, StoreError
from tracker.feeds import subscribe
from tracker.store import open_recorder
from tracker.store.pg_migrate import pg_migrations

ROOT = Path(__file__).resolve().parents[1]
Cli = Callable[..., CliResult]


def test_cli_keeps_the_log_on_postgresql(cli: Cli, pg_url: str) -> None:
    assert "store ready" in cli("init", db=pg_url).err
    first = cli("ingest", str(SEED_ARTICLE), db=pg_url)
    again = cli("ingest", str(SEED_ARTICLE), db=pg_url)
    assert first.code == 0 and "8 events added" in first.err
    assert again.code == 0 and "already ingested" in again.err
    listed = cli("list", "--format", "json", db=pg_url).json()
    assert len(listed) == 9 and listed[0]["type"] == "article.ingested"
    verified = cli("verify", db=pg_url)
    assert verified.code == 0 and "9 events, chain intact" in verified.err


def test_a_url_in_tracker_db_selects_postgresql(
    cli: Cli, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_DB", pg_url)
    assert cli("init", db=None).code == 0
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT to_regclass('events')").fetchone() == ("events",)


def _fill(cli: Cli, db: str | Path, folder: Path) -> None:
    """The seed article, issue 11's report A, and report B added by hand with --create."""
    assert cli("ingest", str(SEED_ARTICLE), db=db).code == 0
    ingest_a(cli, folder, db)
    add_b(cli, db)


# Every read command, in every format: what an analyst or a script sees.
READS = [
    ("status", "--all", "--json"),
    ("status", TALKS, "--json"),
    ("status", TALKS),
    ("status", "israel-hamas-ceasefire", "--format", "md"),
    ("status", TALKS, "--as-of", "2025-03-05", "--json"),
    ("timeline", TALKS, "--json", "--all"),
    ("timeline", "israel-hamas-ceasefire", "--limit", "3", "--format", "md"),
    ("timeline", TALKS, "--since", "2025-03-05", "--json"),
    ("diff", TALKS, "--since", "2025-03-05", "--json"),
    ("diff", "israel-hamas-ceasefire", "--since", "2024-04-29"),
    ("export", TALKS, "--format", "json"),
    ("export", "israel-hamas-ceasefire", "--format", "md"),
    ("export", "israel-hamas-ceasefire", "--format", "csv"),
    ("negotiations", "list", "--format", "json"),
    ("search", "ceasefire", "--format", "json"),
]


def _read(cli: Cli, db: str | Path, args: tuple[str, ...]) -> Any:
    done = cli(*args, db=db)
    assert done.code == 0, (args, done.err)
    if "--json" in args or args[-1] == "json":
        return _plain(_undated(done.json()))
    # the record times and the head's hash are each log's own
    text = re.sub(r"\b(\d+):[0-9a-f]{64}\b", r"\1:<head hash>", done.out)
    return re.sub(r"\d{4}-\d\d-\d\dT[\d:.]+\+00:00", "<recorded at>", text)


def _undated(value: Any) -> Any:
    """Without the moment an export was made and the hash of the log's head (each log has
    its own record times); the head's position stays."""
    if isinstance(value, dict):
        kept = {k: _undated(v) for k, v in value.items() if k != "generated_at"}
        if isinstance(kept.get("store_head"), str):
            kept["store_head"] = kept["store_head"].split(":")[0]
        return kept
    if isinstance(value, list):
        return [_undated(v) for v in value]
    return value


def test_read_commands_answer_on_postgresql_as_on_sqlite(
    cli: Cli, pg_url: str, tmp_path: Path
) -> None:
    sqlite = tmp_path / "talks.db"
    _fill(cli, sqlite, tmp_path)
    _fill(cli, pg_url, tmp_path)
    expected = {args: _read(cli, sqlite, args) for args in READS}
    assert expected[("status", TALKS, "--json")]["phase"] == "negotiating"
    assert any(
        h["kind"] == "article" for h in expected[("search", "ceasefire", "--format", "json")]
    )
    for args in READS:
        if args[0] == "search":  # the same articles and events; each engine its own snippets
            found = _read(cli, pg_url, args)
            key = [(h["kind"], h["article_id"], h["event_id"]) for h in found]
            want = [(h["kind"], h["article_id"], h["event_id"]) for h in expected[args]]
            assert sorted(key, key=str) == sorted(want, key=str), args
            assert all("«" in h["snippet"] for h in found)
            continue
        assert _read(cli, pg_url, args) == expected[args], args
    rebuilt = cli("rebuild", db=pg_url)
    assert rebuilt.code == 0 and "2 negotiation(s)" in rebuilt.err, rebuilt.err
    assert _read(cli, pg_url, READS[1]) == expected[READS[1]]
    html = cli("export", TALKS, "--format", "html", db=pg_url)
    assert html.code == 0 and "Pacific Terminal Operators" in html.out


def test_a_negotiation_started_by_add_create_is_known_on_postgresql(cli: Cli, pg_url: str) -> None:
    def add(*flags: str, day: str) -> CliResult:
        return cli(
            "add", "talks.held", "--actor", UNION, "--negotiation", "harbour-pilots-talks",
            "--evidence", f"The pilots and the port authority met on {day}.", "--occurred", day,
            *flags, db=pg_url,
        )  # fmt: skip

    assert add(day="2025-03-10").code == 2  # not known: refused without --create
    started = add("--create", day="2025-03-10")  # the events start it
    assert started.code == 0, started.err
    listed = cli("negotiations", "list", "--format", "json", db=pg_url).json()
    assert [n["from"] for n in listed if n["id"] == "harbour-pilots-talks"] == ["log"]
    again = add(day="2025-03-11")
    assert again.code == 0, again.err  # known now: no --create needed
    assert cli("status", "harbour-pilots-talks", "--json", db=pg_url).json()["events"] == 2


def test_texts_head_and_definitions_work_and_datasette_says_sqlite(cli: Cli, pg_url: str) -> None:
    assert cli("ingest", str(SEED_ARTICLE), db=pg_url).code == 0
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM article_texts").fetchone() == (1,)
    again = cli("reextract", db=pg_url)  # reads the kept text back
    assert again.code == 0 and "1 article(s)" in again.err, again.err
    head = cli("head", db=pg_url).out.strip()
    assert head.startswith("9:")
    assert cli("verify", "--expect", head, db=pg_url).code == 0
    defined = cli("negotiations", "add", "port-talks", "--title", "Port talks", db=pg_url)
    assert defined.code == 0, defined.err
    listed = cli("negotiations", "list", "--format", "json", db=pg_url).json()
    assert "port-talks" in [n["id"] for n in listed]
    result = cli("datasette-metadata", db=pg_url)
    assert result.code == 2 and result.err.count("\n") == 1
    assert "works on a SQLite store file only" in result.err
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE article_texts DISABLE TRIGGER article_texts_no_delete")
    broken = cli("verify", db=pg_url)
    assert broken.code == 1 and "article_texts_no_delete" in broken.err


def test_unreachable_or_missing_database_is_one_line(cli: Cli, pg_url: str) -> None:
    missing = pg_url.replace("/tracker_test_", "/no_such_db_")
    for url in (missing, "postgresql://tracker:secret@127.0.0.1:1/x"):
        result = cli("verify", db=url)
        assert result.code == 1 and result.err.startswith("error: cannot connect to")
        assert result.err.count("\n") == 1 and "secret" not in result.err
    empty = cli("list", db=pg_url)  # a database without a store: read commands make none
    assert empty.code == 1 and "no store at" in empty.err


def test_migrations_are_applied_once_and_recorded(pg_url: str) -> None:
    with open_recorder(pg_url):
        pass
    with open_recorder(pg_url):  # a second open applies nothing
        pass
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute("SELECT version, name FROM schema_migrations ORDER BY 1").fetchall()
        assert rows == [(m.version, m.name) for m in pg_migrations()]
        conn.execute("INSERT INTO schema_migrations VALUES (99, 'future', 'x')")
    with pytest.raises(SchemaTooNewError, match="newer than this tracker knows"):
        open_recorder(pg_url)


def test_a_failing_migration_is_one_line_and_leaves_nothing(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE feeds (x int)")  # in the way of 0002_feeds
    with pytest.raises(StoreError, match="migration postgresql/0002_feeds failed"):
        open_recorder(pg_url)
    with psycopg.connect(pg_url) as conn:
        versions = conn.execute("SELECT version FROM schema_migrations").fetchall()
        assert versions == [(1,)]
        assert conn.execute("SELECT to_regclass('feed_claims')").fetchone() == (None,)


def _run(url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tracker.cli.app", "run", "--db", url, "--rescan", "0.3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def _articles(url: str) -> list[str]:
    with open_recorder(url) as store:
        return [e.payload["article_id"] for e in store.read_all(types=["article.ingested"])]


def _items(feed: int, *numbers: int) -> list[dict[str, str]]:
    return [
        {"title": f"Feed {feed} round {n}", "guid": f"urn:pg:{feed}:{n}", "description": f"{n}."}
        for n in numbers
    ]


@pytest.mark.slow
def test_three_schedulers_poll_each_feed_once_per_interval(pg_url: str, server: FeedServer) -> None:
    every, feeds = 2, 3
    urls = [server.add(f"/f{i}.xml", body=rss(_items(i, 1, 2))) for i in range(feeds)]
    with open_recorder(pg_url) as store:
        for url in urls:
            subscribe(store, url, every_s=every)
    procs = [_run(pg_url) for _ in range(3)]
    try:
        deadline = time.monotonic() + 60
        while len(_articles(pg_url)) < 2 * feeds:
            assert time.monotonic() < deadline, "the schedulers stored nothing in 60 s"
            assert all(p.poll() is None for p in procs), procs[0].communicate()[1]
            time.sleep(0.2)
        start = time.monotonic()
        before = [len(server.requests_to(f"/f{i}.xml")) for i in range(feeds)]
        for i in range(feeds):  # a new entry in every feed while all three run
            server.add(f"/f{i}.xml", body=rss(_items(i, 3, 2, 1)))
        time.sleep(4 * every)
        elapsed = time.monotonic() - start
        hits = [len(server.requests_to(f"/f{i}.xml")) - before[i] for i in range(feeds)]
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        logs = [proc.communicate(timeout=30)[1] for proc in procs]
    assert all(proc.returncode == 0 for proc in procs), logs
    ids = _articles(pg_url)
    assert len(ids) == len(set(ids)) == 3 * feeds  # each entry stored once
    # One fetch per feed per interval, however many schedulers (plus one in flight at either
    # end); three schedulers that did not claim feeds would fetch about three times as often.
    for count in hits:
        assert 2 <= count <= elapsed / every + 2, (hits, elapsed, logs)
    with open_recorder(pg_url) as store:
        assert store.verify().ok


def test_feeds_add_poll_list_on_postgresql(cli: Cli, pg_url: str, server: FeedServer) -> None:
    url = server.add("/one.xml", body=rss(_items(1, 1, 2)), etag='"1"')
    added = cli("feeds", "add", url, "--every", "1m", db=pg_url)  # subscribes and polls once
    assert added.code == 0 and "2 new articles" in added.err
    server.add("/one.xml", body=rss(_items(1, 3, 2, 1)), etag='"2"')
    polled = cli("poll", db=pg_url)
    assert polled.code == 0 and "1 new articles" in polled.err
    listed = cli("feeds", "list", "--format", "json", db=pg_url).json()
    assert [(f["url"], f["entries"], f["status"]) for f in listed] == [(url, 3, "active")]
    assert len(_articles(pg_url)) == 3


def test_a_feed_state_error_is_one_line(cli: Cli, pg_url: str, server: FeedServer) -> None:
    url = server.add("/one.xml", body=rss(_items(1, 1)))
    assert cli("feeds", "add", url, db=pg_url).code == 0
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE feeds RENAME TO feeds_gone")
    for args in (("feeds", "list"), ("poll",)):
        done = cli(*args, db=pg_url)
        assert done.code == 1 and done.err.count("\n") == 1, (args, done.err)
        assert done.err.startswith("error: the feed state of") and "Traceback" not in done.err


def test_the_role_the_tracker_connects_as_has_no_right_to_change_the_log(
    cli: Cli, pg_url: str, tmp_path: Path
) -> None:
    with fresh_role(pg_url) as role:
        granted = cli("init", "--grant", role, db=pg_url)  # by the owner
        assert granted.code == 0 and f"{role} may now append" in granted.err, granted.err
        app = as_user(pg_url, role)
        _fill(cli, app, tmp_path)  # ingest, add, the read models: all as the role
        assert cli("status", TALKS, "--json", db=app).json()["phase"] == "negotiating"
        assert cli("rebuild", db=app).code == 0 and cli("verify", db=app).code == 0
        assert cli("search", "ceasefire", db=app).code == 0
        with psycopg.connect(app, autocommit=True) as conn:
            for statement in (
                "UPDATE events SET payload = '{}' WHERE position = 1",
                "DELETE FROM events WHERE position = 1",
                "TRUNCATE events",
                "DELETE FROM article_texts",
                "ALTER TABLE events DISABLE TRIGGER events_no_update",
                "UPDATE schema_migrations SET version = 99",
            ):
                # refused by the rights, before any trigger could run
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement.encode())
        refused = cli("init", "--grant", "no_such_role_x", db=pg_url)
        assert refused.code == 1 and "no role 'no_such_role_x'" in refused.err
    with open_recorder(pg_url) as store:
        assert store.verify().ok and store.head() == 13

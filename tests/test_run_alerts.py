"""`tracker run --notify` and `--export-dir` as a real scheduler process, against real HTTP
servers on 127.0.0.1: a feed server, a webhook receiver that fails before it accepts, and a
port where nothing listens. Alerts are retried with backoff, recorded in `notifications`, and
never stop polling; the export directory is rewritten after each change."""

from __future__ import annotations

import json
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from feedserver import FeedServer, Route, rss
from receiver import receiving

from tracker.feeds import subscribe
from tracker.store import open_store

ROOT = Path(__file__).resolve().parents[1]
NEGOTIATION = "israel-hamas-ceasefire"
ITEMS = {
    1: "Israel proposed a new ceasefire deal to Hamas through Egyptian mediators on Monday.",
    2: "Hamas rejected the proposal on Tuesday.",
}


def feed(*numbers: int) -> bytes:
    return rss(
        [
            {
                "title": f"Talks, day {n}",
                "guid": f"urn:alert:{n}",
                "description": ITEMS[n],
                "pubDate": f"Mon, 0{n} Dec 2025 10:00:00 GMT",
            }
            for n in numbers
        ]
    )


def start(db: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tracker.cli.app",
            "run",
            "--db",
            str(db),
            "--rescan",
            "0.3",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def wait_for(check: Callable[[], bool], proc: subprocess.Popen[str], limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if check():
            return
        if proc.poll() is not None:
            raise AssertionError(f"scheduler exited early: {proc.communicate()[1]}")
        time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"gave up waiting; scheduler said: {proc.communicate()[1]}")


def stop(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return err


def notifications(db: Path) -> list[dict[str, Any]]:
    with open_store(db) as store:
        return list(store.db["notifications"].rows_where(order_by="id"))


def articles(db: Path) -> int:
    with open_store(db) as store:
        return sum(1 for _ in store.read_all(types=["article.ingested"]))


def follow(db: Path, server: FeedServer, body: bytes) -> None:
    url = server.add("/talks.xml", body=body)
    with open_store(db) as store:
        subscribe(store, url, every_s=1, negotiation=NEGOTIATION)


def test_alerts_are_retried_until_delivered_and_the_export_follows(db_path, server, tmp_path):
    follow(db_path, server, feed(1))
    site = tmp_path / "site"
    with receiving([500, 503]) as hook:
        proc = start(
            db_path, "--notify", hook.url, "--notify-backoff", "0.2", "--export-dir", str(site)
        )
        wait_for(lambda: len(hook.delivered()) == 1, proc)
        first = hook.delivered()[0]
        assert hook.answered[:3] == [500, 503, 200]
        assert first["negotiation"] == NEGOTIATION
        assert any(line.startswith("on the table: Israel") for line in first["added"])
        (event,) = [e for e in first["events"] if e["type"] == "proposal.made"]
        assert event["actor"] == "Israel" and event["modality"] == "asserted"
        assert event["evidence"] == [ITEMS[1]]
        assert [s["article_id"] for s in first["sources"]] == [event["article_id"]]
        assert set(first) >= {"negotiation", "since", "removed", "added", "events", "sources"}
        assert first["since"] < event["recorded_at"]  # the status known before this poll

        rows = notifications(db_path)
        assert [(r["attempt"], r["outcome"]) for r in rows] == [
            (1, "failed"),
            (2, "failed"),
            (3, "delivered"),
        ]
        assert rows[0]["detail"] == "HTTP 500 Internal Server Error"
        assert rows[2]["target"] == hook.url and rows[2]["negotiation"] == NEGOTIATION

        index = site / "index.html"
        wait_for(lambda: index.exists() and NEGOTIATION in index.read_text(), proc)
        for ext in ("json", "md", "html", "csv"):
            assert (site / f"{NEGOTIATION}.{ext}").exists()
        assert not list(site.glob(".*.tmp"))  # written beside, renamed into place
        before = json.loads((site / f"{NEGOTIATION}.json").read_text())

        # A second report changes the status again: one more alert, the export rewritten.
        server.routes["/talks.xml"] = Route(body=feed(1, 2))
        wait_for(lambda: len(hook.delivered()) == 2, proc)
        second = hook.delivered()[1]
        assert [e["type"] for e in second["events"]] == ["proposal.rejected"]
        assert any("Hamas" in line and "rejected" in line for line in second["added"])
        wait_for(
            lambda: (
                json.loads((site / f"{NEGOTIATION}.json").read_text())["store_position"]
                > before["store_position"]
            ),
            proc,
        )
        err = stop(proc)
    assert "delivered to" in err and "retrying in" in err


def test_a_dead_receiver_is_given_up_on_and_polling_goes_on(db_path, server):
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/hook"
    follow(db_path, server, feed(1))
    proc = start(db_path, "--notify", dead, "--notify-attempts", "2", "--notify-backoff", "0.1")
    wait_for(lambda: any(r["outcome"] == "gave up" for r in notifications(db_path)), proc)
    rows = notifications(db_path)
    assert [(r["attempt"], r["outcome"]) for r in rows] == [(1, "failed"), (2, "gave up")]
    assert "ConnectError" in rows[0]["detail"]
    server.routes["/talks.xml"] = Route(body=feed(1, 2))
    wait_for(lambda: articles(db_path) == 2, proc)  # the scheduler still polls
    wait_for(lambda: len(notifications(db_path)) == 4, proc)  # and still tries to alert
    err = stop(proc)
    assert "gave up after 2 attempts" in err


def test_a_command_gets_the_change_on_stdin(db_path, server, tmp_path):
    out = tmp_path / "alert.json"
    writer = f"import sys; open({str(out)!r}, 'w').write(sys.stdin.read())"
    command = shlex.join([sys.executable, "-c", writer])
    follow(db_path, server, feed(1))
    proc = start(db_path, "--notify", command)
    wait_for(lambda: any(r["outcome"] == "delivered" for r in notifications(db_path)), proc)
    stop(proc)
    alert = json.loads(out.read_text())
    assert alert["negotiation"] == NEGOTIATION
    assert [r["detail"] for r in notifications(db_path)] == ["exit 0"]


def test_a_failing_command_is_recorded_with_its_exit_and_last_words(db_path, server):
    fails = shlex.join([sys.executable, "-c", "import sys; sys.exit('mailer is down')"])
    follow(db_path, server, feed(1))
    proc = start(db_path, "--notify", fails, "--notify-attempts", "1")
    wait_for(lambda: bool(notifications(db_path)), proc)
    stop(proc)
    (row,) = notifications(db_path)
    assert (row["outcome"], row["detail"]) == ("gave up", "exit 1: mailer is down")


def test_bad_notify_targets_are_refused_in_one_line(cli, store):
    result = cli("run", "--notify", "no-such-command-anywhere --flag")
    assert result.code == 2
    assert result.err.strip() == (
        "error: --notify: no such command 'no-such-command-anywhere' (nor an http(s) URL)"
    )
    assert cli("run", "--notify", "https://").code == 2

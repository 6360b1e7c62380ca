"""`tracker serve` as a user runs it: a real server process on 127.0.0.1 (a free port picked
by the system), real HTTP requests, and the pages in Debian's headless Chromium."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import CliResult
from test_browser_export import artifacts, browser  # noqa: F401  (fixtures)
from test_export_data import NEGOTIATION, SCRIPT, fill_seed
from test_vocabulary import errors

from tracker.projections import readmodel
from tracker.store import open_recorder, open_store

Cli = Callable[..., CliResult]
URL = re.compile(r"at (http://127\.0\.0\.1:\d+/) ")


class Served:
    """`tracker serve --port 0` in its own process; the first line it prints names its URL."""

    def __init__(self, db: Path | str, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tracker.cli.app", "serve", "--db", str(db), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.first = ""
        reader = threading.Thread(target=self._first_line, daemon=True)
        reader.start()
        reader.join(timeout=30)
        found = URL.search(self.first)
        if found is None:
            self.stop()
            pytest.fail(f"tracker serve did not start: {self.first!r}")
        self.url = found[1]

    def _first_line(self) -> None:
        assert self.proc.stderr is not None
        self.first = self.proc.stderr.readline()

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return httpx.get(self.url.rstrip("/") + path, timeout=30, **kw)

    def stop(self) -> str:
        self.proc.terminate()
        _, err = self.proc.communicate(timeout=30)
        return err


@pytest.fixture
def seeded(db_path: Path) -> Path:
    """The seed and a hostile article, appended without folding the read models."""
    with open_store(db_path) as store:
        fill_seed(store)
    return db_path


@pytest.fixture
def served(seeded: Path) -> Iterator[Served]:
    running = Served(seeded, "--port", "0")
    yield running
    err = running.stop()
    assert "Traceback" not in err


def test_binds_to_loopback_and_says_so(served: Served) -> None:
    assert "read-only" in served.first and "loopback only" in served.first
    assert served.get("/").status_code == 200


def test_reads_the_log_without_writing_and_mirrors_the_cli(
    served: Served, seeded: Path, cli: Cli
) -> None:
    with open_store(seeded) as store:
        assert readmodel.checkpoint(store) == 0  # read models behind: the server folds itself
    api = f"/api/negotiations/{NEGOTIATION}"
    status = served.get(f"{api}/status").json()
    timeline = served.get(f"{api}/timeline").json()
    diff = served.get(f"{api}/diff", params={"since": "2024-05-01"}).json()
    as_of = served.get(f"{api}/status", params={"as_of": "2024-04-30"}).json()
    index = served.get("/api/negotiations").json()
    with open_store(seeded) as store:
        assert readmodel.checkpoint(store) == 0  # it wrote nothing, not even the read models
    # the same documents as the CLI's (which folds the read models first)
    assert status == cli("status", NEGOTIATION, "--json").json()
    assert timeline == cli("timeline", NEGOTIATION, "--json").json()
    assert diff == cli("diff", NEGOTIATION, "--since", "2024-05-01", "--json").json()
    assert as_of == cli("status", NEGOTIATION, "--as-of", "2024-04-30", "--json").json()
    assert index == cli("status", "--all", "--json").json()
    assert status["phase"] == "proposal_pending" and len(timeline) == 9
    assert errors(status) == [] and errors(as_of) == []  # events/schema/status.json
    assert diff["added"] and as_of["as_of"] == "2024-04-30"


def test_new_events_show_on_the_next_request(served: Served, cli: Cli) -> None:
    assert [row["negotiation"] for row in served.get("/api/negotiations").json()] == [NEGOTIATION]
    added = cli(
        "add", "proposal.made", "--actor", "Qatar", "--target", "Westland",
        "--negotiation", "river-dispute", "--create", "--occurred", "2024-03-01",
        "--evidence", "Qatar offered talks on the river dispute.",
    )  # fmt: skip
    assert added.code == 0, added.err
    names = [row["negotiation"] for row in served.get("/api/negotiations").json()]
    assert names == [NEGOTIATION, "river-dispute"]
    page = served.get("/n/river-dispute")
    assert page.status_code == 200 and "Qatar offered talks on the river dispute." in page.text


def test_serves_a_postgresql_store_read_only(pg_url: str, cli: Cli) -> None:
    with open_recorder(pg_url) as store:
        fill_seed(store)  # appended, not folded: the server folds in memory, writes nothing
    running = Served(pg_url, "--port", "0")
    try:
        assert "read-only" in running.first
        api = f"/api/negotiations/{NEGOTIATION}"
        status = running.get(f"{api}/status").json()
        timeline = running.get(f"{api}/timeline").json()
        page = running.get(f"/n/{NEGOTIATION}")
    finally:
        assert "Traceback" not in running.stop()
    with open_recorder(pg_url) as store:
        assert readmodel.checkpoint(store) == 0  # nothing written
    assert page.status_code == 200 and status["phase"] == "proposal_pending"
    assert status == cli("status", NEGOTIATION, "--json", db=pg_url).json()
    assert timeline == cli("timeline", NEGOTIATION, "--json", db=pg_url).json()


def test_bad_requests_get_one_line_answers(served: Served) -> None:
    missing = served.get("/api/negotiations/nowhere/status")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": f"no negotiation 'nowhere' in the store; known: {NEGOTIATION}"
    }
    bad = served.get(f"/api/negotiations/{NEGOTIATION}/status", params={"as_of": "May 5"})
    assert bad.status_code == 400 and "as_of must be a date" in bad.json()["error"]
    assert served.get(f"/api/negotiations/{NEGOTIATION}/diff").status_code == 400
    page = served.get(f"/n/{NEGOTIATION}", params={"modality": "rumoured"})
    assert page.status_code == 400 and "unknown modality &#x27;rumoured&#x27;" in page.text
    early = served.get(f"/n/{NEGOTIATION}", params={"as_of": "2024-01-01"})
    assert early.status_code == 404 and "nothing was known" in early.text
    assert served.get("/nowhere").status_code == 404
    # read-only: no other method; a page asked for under another host name is refused
    assert httpx.post(served.url, timeout=30).status_code == 405
    assert served.get("/", headers={"Host": "attacker.example"}).status_code == 400
    headers = served.get("/").headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_a_busy_port_or_missing_store_is_one_line(served: Served, tmp_path: Path) -> None:
    port = served.url.rstrip("/").rsplit(":", 1)[1]
    other = subprocess.run(
        [sys.executable, "-m", "tracker.cli.app", "serve", "--db", str(tmp_path / "x.db"),
         "--port", port],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert other.returncode == 1 and other.stderr.count("\n") == 1
    assert other.stderr.startswith(f"error: cannot listen on 127.0.0.1:{port}")
    free = subprocess.run(
        [sys.executable, "-m", "tracker.cli.app", "serve", "--db", str(tmp_path / "x.db"),
         "--port", "0"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert free.returncode == 1 and free.stderr.startswith("error: no store at")
    assert not (tmp_path / "x.db").exists()


# --- in the browser ----------------------------------------------------------------------


class Tab:
    """A Chromium tab that may reach the dashboard and nothing else; records what it tried."""

    def __init__(self, chromium: Any, origin: str, width: int) -> None:
        self.context = chromium.new_context(viewport={"width": width, "height": 900})
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

        def route(r: Any) -> None:
            if r.request.url.startswith(origin):
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def marks(self) -> int:
        return int(self.page.locator("#visual svg.tl:not(.icon) a.mark").count())

    def cards(self) -> int:
        return int(self.page.locator("#timeline .event[data-type]").count())


@pytest.fixture
def tab(browser: Any, served: Served) -> Iterator[Tab]:  # noqa: F811
    opened = Tab(browser, served.url, 1280)
    yield opened
    opened.context.close()


@pytest.mark.browser
def test_navigate_filter_and_go_back_in_time(tab: Tab, served: Served) -> None:
    page = tab.page
    page.goto(served.url)
    assert page.locator("#negotiations tbody tr").count() == 1
    page.click(f"#negotiations a:text('{NEGOTIATION}')")
    page.wait_for_url(f"**/n/{NEGOTIATION}")
    assert page.inner_text("#phase").strip().lower() == "proposal pending"
    assert tab.marks() == tab.cards() == 9
    # filter by party: a GET form, no script
    page.select_option("select[name=party]", "Hamas")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**party=Hamas**")
    hamas = tab.cards()
    assert 0 < hamas < 9 and tab.marks() == hamas
    assert "of 9 events shown" in page.inner_text("#shown")
    whos = page.locator("#timeline .event .what").all_inner_texts()
    assert len(whos) == hamas and all("Hamas" in who for who in whos)  # as actor or target
    # and by modality
    page.select_option("select[name=modality]", "predicted")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**modality=predicted**")
    assert tab.cards() == tab.marks() == 1
    # as of 30 April: the article of 2 May is not known yet
    page.goto(f"{served.url}n/{NEGOTIATION}")
    page.fill("input[name=as_of]", "2024-04-30")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**as_of=2024-04-30**")
    assert "as of 2024-04-30" in page.inner_text("header")
    assert tab.cards() == tab.marks() == 8
    assert page.input_value("input[name=as_of]") == "2024-04-30"
    assert tab.errors == [] and tab.outside == [] and tab.dialogs == []


@pytest.mark.browser
def test_hostile_article_text_runs_nothing(
    browser: Any,  # noqa: F811
    served: Served,
    artifacts: Path,  # noqa: F811
) -> None:
    for name, width in (("desktop", 1280), ("phone", 400)):
        opened = Tab(browser, served.url, width)
        try:
            page = opened.page
            page.goto(f"{served.url}n/{NEGOTIATION}")
            assert SCRIPT in page.inner_text("#timeline")  # shown as the article wrote it
            assert page.locator("script").count() == 0
            assert page.locator("img").count() == 0 and page.locator("[onerror]").count() == 0
            assert page.locator('a[href^="javascript:"]').count() == 0
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name}: page is {overflow}px wider than the viewport"
            page.screenshot(path=str(artifacts / f"dashboard-{name}.png"))
            assert opened.dialogs == [] and opened.errors == [] and opened.outside == []
        finally:
            opened.context.close()


def test_other_commands_do_not_import_the_server() -> None:
    code = (
        "import sys; from tracker.cli.app import main; main(['status', '--help']); "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('starlette', 'uvicorn') or m.startswith('tracker.serve'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import json; " + code], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []

"""The HTML export in a real headless Chromium (Debian's package, driven by Playwright).

Where no chromium is found these tests skip and say why; under CI (CI=true) a missing browser
fails the run instead. Screenshots (phone and desktop) and a printed PDF are saved in the
test's tmp_path, or in $TRACKER_ARTIFACTS when set, to look at.
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_export_data import IMG, NEGOTIATION, SCRIPT, fill_seed

from tracker.export.formats import export_text
from tracker.store import SQLiteEventStore

pytestmark = pytest.mark.browser

LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _chromium() -> str | None:
    """$CHROMIUM if set (and only it), else chromium on PATH, else Debian's path."""
    chosen = os.environ.get("CHROMIUM")
    for candidate in [chosen] if chosen else ["chromium", "/usr/bin/chromium"]:
        if found := shutil.which(candidate):
            return found
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}: the browser tests must run under CI")
    message = (
        f"browser tests skipped: {reason}; install Debian's chromium (apt-get install chromium)"
    )
    warnings.warn(message, stacklevel=2)  # shown in pytest's summary even without -rs
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed")
    executable = _chromium()
    if executable is None:
        _unavailable("no chromium executable found on PATH or at /usr/bin/chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def artifacts(tmp_path: Path) -> Path:
    chosen = os.environ.get("TRACKER_ARTIFACTS")
    directory = Path(chosen) if chosen else tmp_path
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def page_file(store: SQLiteEventStore, tmp_path: Path) -> Path:
    fill_seed(store)
    path = tmp_path / "status.html"
    path.write_text(export_text(store, "html", NEGOTIATION), encoding="utf-8")
    return path


class Watched:
    """A page with every request, console error, page error and dialog recorded; any request
    other than the page's own file is blocked."""

    def __init__(self, browser: Any, url: str, viewport: dict[str, int]) -> None:
        self.context = browser.new_context(viewport=viewport, java_script_enabled=True)
        self.context.set_offline(True)
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

        def route(r: Any) -> None:
            if r.request.url == url:
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None
        )
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", self._dialog)
        self.page.goto(url, wait_until="load")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def phone(browser: Any, page_file: Path) -> Iterator[Watched]:
    watched = Watched(browser, page_file.as_uri(), PHONE)
    yield watched
    watched.close()


def test_page_shows_the_seed_status_first(phone: Watched) -> None:
    page = phone.page
    assert page.inner_text("#phase").strip().lower() == "proposal pending"
    summary = page.inner_text("#summary")
    assert "Israel's proposal to Hamas via Egypt" in summary
    assert "Hamas under review" in summary
    assert "Rafah" in page.inner_text("#threats")
    assert "Cairo" in page.inner_text("#next-steps")
    # status comes before the timeline, and the timeline has an entry per happening
    top = page.evaluate("document.querySelector('#status').getBoundingClientRect().top")
    below = page.evaluate("document.querySelector('#timeline').getBoundingClientRect().top")
    assert top < below
    assert page.locator("#timeline .event[data-type]").count() == 9
    predicted = page.locator('.event[data-modality="predicted"]')
    assert predicted.count() == 1 and "predicted, not fact" in predicted.inner_text()
    link = page.locator('#timeline .event[data-type="proposal.made"] a').first
    assert link.get_attribute("href") == "https://example.org/blinken-calls-on-hamas"


def test_no_console_errors_and_no_network(phone: Watched, page_file: Path) -> None:
    assert phone.errors == []
    assert phone.blocked == []  # nothing tried to leave the page
    assert phone.requests == [page_file.as_uri()]


def test_article_markup_is_text_and_runs_nothing(phone: Watched) -> None:
    page = phone.page
    text = page.inner_text("body")
    assert SCRIPT in text and IMG in text  # shown to the reader as written
    assert page.locator("script").count() == 0
    assert page.locator("img").count() == 0
    assert page.locator("[onerror]").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    assert phone.dialogs == []
    assert phone.errors == []


def test_layout_on_phone_and_desktop(browser: Any, page_file: Path, artifacts: Path) -> None:
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        watched = Watched(browser, page_file.as_uri(), viewport)
        try:
            page = watched.page
            # nothing wider than the screen: no sideways scrolling on a phone
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name}: page is {overflow}px wider than the viewport"
            font = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            assert font >= 14, f"{name}: body text {font}px is too small to read"
            shot = artifacts / f"export-{name}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
        finally:
            watched.close()


def test_page_prints(browser: Any, page_file: Path, artifacts: Path) -> None:
    watched = Watched(browser, page_file.as_uri(), DESKTOP)
    try:
        watched.page.emulate_media(media="print")
        pdf = artifacts / "export-print.pdf"
        watched.page.pdf(path=str(pdf), format="A4", print_background=False)
        assert pdf.read_bytes().startswith(b"%PDF")
        assert watched.errors == []
    finally:
        watched.close()


def test_page_opens_with_the_visual_timeline(
    browser: Any, page_file: Path, artifacts: Path
) -> None:
    for name, width in (("desktop", 1280), ("phone", 400)):
        watched = Watched(browser, page_file.as_uri(), {"width": width, "height": 900})
        try:
            page = watched.page
            # the picture comes first, before the status, and it is on the first screen
            svg = page.locator("#visual svg.tl:not(.icon)")
            assert svg.count() == 1
            box = svg.bounding_box()
            assert box is not None and box["y"] < 300 and box["height"] > 100
            status_top = page.locator("#status").bounding_box()
            assert status_top is not None and box["y"] < status_top["y"]
            # one mark per timeline entry, each linking to its card
            cards = page.locator("#timeline .event[data-type]")
            assert svg.locator("a.mark").count() == cards.count() == 9
            first = svg.locator("a.mark").first.get_attribute("href") or ""
            assert page.locator(f"[id='{first.removeprefix('#')}']").count() == 1
            assert svg.locator("a.mark.open").count() == 2  # the proposal and the threat
            assert (
                page.locator("#visual .phase-run text").first.text_content() == "proposal pending"
            )
            lane = page.evaluate(
                "getComputedStyle(document.querySelector('svg.tl .lane-name')).fontSize"
            )
            assert float(lane.removesuffix("px")) >= 12, f"{name}: lane names too small"
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name}: page is {overflow}px wider than the viewport"
            assert watched.errors == [] and watched.blocked == []
            assert watched.requests == [page_file.as_uri()]
            shot = artifacts / f"timeline-{name}.png"
            page.screenshot(path=str(shot))
            assert shot.stat().st_size > 10_000
        finally:
            watched.close()

"""Fixtures every test module can use: a fresh store file and the CLI run in-process."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from feedserver import FeedServer
from pg import fresh_database

from tracker.cli.app import main
from tracker.store import SQLiteEventStore, open_store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_ARTICLE = SEEDS / "000_46a520fc1d27543f.txt"


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    """A real HTTP server on 127.0.0.1 for the feed tests (tests/feedserver.py)."""
    with FeedServer() as running:
        yield running


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A new, empty database on the test PostgreSQL server (tests/pg.py); skips without one."""
    with fresh_database() as url:
        yield url


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[SQLiteEventStore]:
    with open_store(db_path) as opened:
        yield opened


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], db_path: Path) -> Callable[..., CliResult]:
    """Run `tracker ARGS --db <tmp store>` in this process and capture what it prints."""

    def run(*args: str, db: Path | None = db_path) -> CliResult:
        argv = [*args, *(["--db", str(db)] if db is not None else [])]
        code = main(argv)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run

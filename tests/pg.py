"""A real PostgreSQL server for the tests: TRACKER_TEST_POSTGRES names one (a URL, as
`.ci/postgres.sh start DIR` prints), and each test gets a database of its own, dropped after.
Without a server the PostgreSQL tests skip with one line; under CI=true they fail instead."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn
from urllib.parse import urlsplit

import psycopg
import pytest

SERVER_ENV = "TRACKER_TEST_POSTGRES"


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL tests cannot run under CI: {reason}")
    pytest.skip(f"no PostgreSQL server: {reason}")


def server_url() -> str:
    url = os.environ.get(SERVER_ENV, "")
    if not url:
        _unavailable(f"set {SERVER_ENV} to a URL (.ci/postgres.sh start DIR prints one)")
    return url


def with_database(url: str, name: str) -> str:
    # Not urlunsplit: it drops the // of a URL with no host (postgresql:///db?host=/socket).
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/{name}" + (f"?{parts.query}" if parts.query else "")


@contextmanager
def fresh_database() -> Iterator[str]:
    """The URL of a new, empty database on the test server."""
    url = server_url()
    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(url, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        _unavailable(f"{SERVER_ENV} does not answer ({str(exc).strip().splitlines()[0]})")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"'.encode())
    try:
        yield with_database(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


def as_user(url: str, user: str) -> str:
    """The same database's URL, connecting as another role (the test server trusts its
    socket, so no password)."""
    parts = urlsplit(url)
    query = [p for p in parts.query.split("&") if p and not p.startswith("user=")]
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return f"{parts.scheme}://{netloc}{parts.path}?" + "&".join([*query, f"user={user}"])


@contextmanager
def fresh_role(url: str) -> Iterator[str]:
    """A new login role with no rights of its own, dropped after (with what it was granted)."""
    role = f"tracker_app_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{role}" LOGIN'.encode())
    try:
        yield role
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP OWNED BY "{role}"'.encode())
        with psycopg.connect(server_url(), autocommit=True) as admin:
            admin.execute(f'DROP ROLE IF EXISTS "{role}"'.encode())

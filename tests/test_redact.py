"""A database URL in a message is the URL given, its password masked (tracker/store/redact.py)."""

from __future__ import annotations

import pytest

from tracker.store.redact import redact


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("postgresql://analyst@db.internal/tracker", "postgresql://analyst@db.internal/tracker"),
        ("postgresql://analyst:s3cret@db:5432/tracker", "postgresql://analyst:***@db:5432/tracker"),
        (  # no host: the socket folder in the query, and the // kept
            "postgresql:///tracker?host=/run/pg&user=postgres",
            "postgresql:///tracker?host=/run/pg&user=postgres",
        ),
        (
            "postgresql:///t?host=/run/pg&password=s3cret",
            "postgresql:///t?host=/run/pg&password=***",
        ),
        ("r.db", "r.db"),  # a SQLite file, as the scheduler's log names it
        ("/home/me/talks?.db", "/home/me/talks?.db"),
    ],
)
def test_a_url_is_shown_as_given_without_its_password(given: str, shown: str) -> None:
    assert redact(given) == shown

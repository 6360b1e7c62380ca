"""The PostgreSQL recorder: the same log as SQLite's, for a team and several pollers.

Global order without holes. A reader pages the log by position (`read_all(after=...)`), so a
position must never become visible after a higher one: a reader that has passed it would
never see it. With a sequence (or an identity column) that happens: transaction A takes
position 7, B takes 8, B commits first, a reader sees 8 and moves on, then A commits 7. Like
eventsourcing's PostgreSQL recorder (which takes `LOCK TABLE ... IN EXCLUSIVE MODE`), `append`
first takes a lock that only one append holds: appends run one at a time and each commits
before the next one reads the head, so positions commit in order. SELECTs never wait. It is
also what the hash chain needs anyway (each row links to the previous row's hash), and it
lets positions be max + 1 instead of a sequence, so a rolled-back append leaves no gap for
`verify` to flag. The price is one writer at a time, as on SQLite.

The lock is a transaction-level advisory lock (APPEND_LOCK), not LOCK TABLE: PostgreSQL asks
for the UPDATE, DELETE or TRUNCATE right to LOCK a table in EXCLUSIVE mode, and the role the
tracker should connect as has none of them on events (tracker/store/pg_roles.py). A writer
that skipped the lock could not open a hole either: it would take the same max + 1, and one
of the two inserts would fail on the primary key.

Invariants in the database: UNIQUE event ids and (stream, version), statement triggers that
refuse UPDATE, DELETE and TRUNCATE (migrations/postgresql/0001_events.sql); the article texts
are kept the same way (0003_article_texts.sql).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import suppress
from typing import Any

import orjson
import psycopg

from tracker.errors import ConflictError, DuplicateEventError, StoreError
from tracker.store.base import AppendResult, NewEvent, StoredEvent, VerifyReport
from tracker.store.chain import GENESIS, chained_rows, link_hash
from tracker.store.migrate import refuse_newer
from tracker.store.pg_migrate import first_line, migrate, pg_migrations
from tracker.store.redact import redact
from tracker.store.sqlite import COLUMNS, READ_PAGE

CONNECT_TIMEOUT_S = 10
APPEND_LOCK = 0x7472_6B61  # "trka": held by one append at a time on this database
# One statement for a whole batch: a column of values per array, sent in binary (%b): the
# server then reads the arrays as they are instead of parsing quoted text literals, which
# took most of an append (a batch of 100: about 11 ms as text, 3 ms in binary, here).
INSERT = (
    f"INSERT INTO events ({COLUMNS}) SELECT * FROM unnest("
    "%b::bigint[], %b::text[], %b::text[], %b::int[], %b::text[], %b::int[], %b::text[],"
    " %b::text[], %b::text[], %b::text[])"
)
# The statement triggers that keep the log and the texts append-only (checked by `verify`).
GUARDS = (
    ("events", "events_no_update"),
    ("events", "events_no_delete"),
    ("events", "events_no_truncate"),
    ("article_texts", "article_texts_no_update"),
    ("article_texts", "article_texts_no_delete"),
    ("article_texts", "article_texts_no_truncate"),
)
# Under the lock: which ids are stored already, the stream's version, and the log's head.
HEAD = (
    "SELECT (SELECT jsonb_object_agg(event_id, position) FROM events"
    "        WHERE event_id = ANY(%s)),"
    " (SELECT MAX(version) FROM events WHERE stream = %s),"
    " last.position, last.hash"
    " FROM (SELECT 1) AS one LEFT JOIN LATERAL"
    " (SELECT position, hash FROM events ORDER BY position DESC LIMIT 1) AS last ON true"
)


class PostgresEventStore:
    def __init__(self, conn: psycopg.Connection, url: str) -> None:
        self.conn = conn
        self.url = url
        self.path = redact(url)  # what commands print as the store's name
        self.read_only = False  # a server refuses writes itself, in its own words

    # --- writing ------------------------------------------------------------------------

    def append(
        self, stream: str, events: Sequence[NewEvent], expected_version: int | None
    ) -> AppendResult:
        ids = [event.event_id for event in events]
        if len(set(ids)) != len(ids):
            raise DuplicateEventError(f"batch for stream {stream!r} holds the same id twice")
        if not events:
            return AppendResult(stream, version=self.stream_version(stream))
        try:
            with self.conn.transaction(), self.conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (APPEND_LOCK,))  # see above
                cur.execute(HEAD, (ids, stream))  # one round trip for all the checks
                found, version, last_position, last_hash = cur.fetchone() or ({}, 0, None, None)
                existing: dict[str, int] = found or {}
                current = int(version or 0)
                if len(existing) == len(ids):
                    positions = tuple(existing[i] for i in ids)
                    return AppendResult(stream, positions, current, replayed=True)
                if existing:
                    raise DuplicateEventError(
                        f"{len(existing)} of {len(ids)} events in the batch for stream "
                        f"{stream!r} are already stored"
                    )
                if expected_version is not None and current != expected_version:
                    raise ConflictError(
                        f"stream {stream!r} is at version {current}, expected {expected_version}"
                    )
                head = (int(last_position), str(last_hash)) if last_position else (0, GENESIS)
                rows = chained_rows(head, stream, current, events)
                cur.execute(INSERT, [list(column) for column in zip(*rows, strict=True)])
        except psycopg.errors.IntegrityError as exc:
            raise ConflictError(f"append to stream {stream!r} refused: {first_line(exc)}") from exc
        except psycopg.Error as exc:
            raise StoreError(f"append to stream {stream!r} failed: {first_line(exc)}") from exc
        return AppendResult(
            stream, positions=tuple(row[0] for row in rows), version=current + len(events)
        )

    # --- reading ------------------------------------------------------------------------

    def read_all(
        self, after: int = 0, types: Collection[str] | None = None
    ) -> Iterator[StoredEvent]:
        # Pages by position; each page is its own statement, so no snapshot is held open.
        where, params = "position > %s", []
        if types is not None:
            where += " AND type = ANY(%s)"
            params = [list(types)]
        while True:
            rows = self._fetch(
                f"SELECT {COLUMNS} FROM events WHERE {where} ORDER BY position LIMIT %s",
                (after, *params, READ_PAGE),
            )
            if not rows:
                return
            yield from map(_stored, rows)
            after = rows[-1][0]

    def read_stream(self, stream: str) -> Iterator[StoredEvent]:
        sql = f"SELECT {COLUMNS} FROM events WHERE stream = %s ORDER BY version"
        yield from map(_stored, self._fetch(sql, (stream,)))

    def stream_version(self, stream: str) -> int:
        rows = self._fetch("SELECT MAX(version) FROM events WHERE stream = %s", (stream,))
        return int(rows[0][0] or 0)

    def get(self, event_id: str) -> StoredEvent | None:
        rows = self._fetch(f"SELECT {COLUMNS} FROM events WHERE event_id = %s", (event_id,))
        return _stored(rows[0]) if rows else None

    def find_article(self, content_sha256: str) -> str | None:
        rows = self._fetch(
            "SELECT (payload::jsonb) ->> 'article_id' FROM events "
            "WHERE type = 'article.ingested' "
            "AND (payload::jsonb) ->> 'content_sha256' = %s LIMIT 1",
            (content_sha256,),
        )
        return str(rows[0][0]) if rows else None

    def put_text(self, sha256: str, text: str) -> None:
        try:
            self.conn.execute(
                b"INSERT INTO article_texts (sha256, text) VALUES (%s, %s)"
                b" ON CONFLICT (sha256) DO NOTHING",
                (sha256, text),
            )
        except psycopg.Error as exc:
            raise StoreError(f"could not keep the article text: {first_line(exc)}") from exc

    def get_text(self, sha256: str) -> str | None:
        rows = self._fetch("SELECT text FROM article_texts WHERE sha256 = %s", (sha256,))
        return str(rows[0][0]) if rows else None

    def match_ids(self, prefix: str, limit: int = 2) -> list[str]:
        rows = self._fetch(
            "SELECT event_id FROM events WHERE event_id >= %s AND event_id < %s LIMIT %s",
            (prefix, prefix + "\uffff", limit),
        )
        return [row[0] for row in rows]

    def head(self) -> int:
        return int(self._fetch("SELECT MAX(position) FROM events")[0][0] or 0)

    def hash_at(self, position: int) -> str | None:
        """The chain hash of the event at `position` (an anchor for `verify --expect`)."""
        rows = self._fetch("SELECT hash FROM events WHERE position = %s", (position,))
        return str(rows[0][0]) if rows else None

    def integrity(self) -> list[str]:
        """What is wrong beyond the chain: the append-only triggers, present and enabled (the
        server checks its own pages)."""
        rows = self._fetch(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE c.relname IN ('events', 'article_texts') AND t.tgenabled <> 'D'"
            " AND c.relnamespace = to_regnamespace(current_schema())"
        )
        found = {(str(table), str(name)) for table, name in rows}
        return [
            f"append-only trigger {name} on {table} is missing or disabled"
            for table, name in GUARDS
            if (table, name) not in found
        ]

    def verify(self) -> VerifyReport:
        """Recompute every hash from the raw columns; name the first position that fails."""
        prev_hash, prev_position, checked = GENESIS, 0, 0
        sql = f"SELECT {COLUMNS} FROM events WHERE position > %s ORDER BY position LIMIT %s"
        while rows := self._fetch(sql, (prev_position, READ_PAGE)):
            for row in rows:
                content, stored_prev, stored_hash = row[:8], row[8], row[9]
                position = content[0]
                if position != prev_position + 1:
                    return VerifyReport(checked, prev_position + 1, "event missing from the log")
                if stored_prev != prev_hash:
                    return VerifyReport(checked, position, "previous-hash link does not match")
                digest = link_hash(prev_hash, content)
                if digest != stored_hash:
                    return VerifyReport(checked, position, "content does not match its hash")
                prev_hash, prev_position, checked = digest, position, checked + 1
        return VerifyReport(checked, head_hash=prev_hash)

    def grant(self, role: str) -> None:
        """Let `role` use the store with no right to change the log (tracker/store/pg_roles.py)."""
        from tracker.store.pg_roles import grant

        grant(self.conn, role)

    def _fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            rows: list[tuple[Any, ...]] = self.conn.execute(sql.encode(), params).fetchall()
            return rows
        except psycopg.Error as exc:
            raise StoreError(f"reading {self.path} failed: {first_line(exc)}") from exc

    def close(self) -> None:
        with suppress(psycopg.Error):
            self.conn.close()

    def __enter__(self) -> PostgresEventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _stored(r: tuple[Any, ...]) -> StoredEvent:
    return StoredEvent(r[0], r[1], r[2], r[3], r[4], r[5], orjson.loads(r[6]), r[7], r[8], r[9])


def _connect(url: str, **options: Any) -> psycopg.Connection:
    try:
        # No server-side prepared statements: a generic plan made while the log was small
        # (seq scans) was kept as it grew, and single appends slowed from 350 to 130/s by 6,000.
        return psycopg.connect(
            url,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_S,
            prepare_threshold=None,
            **options,
        )
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to {redact(url)}: {first_line(exc)}") from exc
    except Exception as exc:  # a malformed URL is a ProgrammingError or ValueError
        raise StoreError(f"cannot use {redact(url)}: {first_line(exc)}") from exc


def open_pg_read_only(url: str) -> PostgresEventStore:
    """The store read-only, for the dashboard: every transaction of this connection is READ
    ONLY, so the server itself refuses a write; never migrated (a store that needs it says so)."""
    conn = _connect(url, options="-c default_transaction_read_only=on")

    def check() -> None:
        _require_store(conn, url)
        done = sorted(r[0] for r in conn.execute("SELECT version FROM schema_migrations"))
        refuse_newer(done, pg_migrations())
        if {m.version for m in pg_migrations()} - set(done):
            raise StoreError(f"store {redact(url)} needs migrating first: run `tracker init`")

    return _opened(conn, url, check)


def open_pg_store(url: str, create: bool = True) -> PostgresEventStore:
    """Connect to the database at `url` and migrate it. The database itself must exist (the
    tracker creates tables, not databases); with create=False it must hold a store already,
    so that read-only commands do not set one up."""
    conn = _connect(url)

    def check() -> None:
        if not create:
            _require_store(conn, url)
        migrate(conn)

    return _opened(conn, url, check)


def _require_store(conn: psycopg.Connection[Any], url: str) -> None:
    if conn.execute("SELECT to_regclass('events')").fetchone() == (None,):
        raise StoreError(f"no store at {redact(url)}; run `tracker init --db URL` first")


def _opened(
    conn: psycopg.Connection[Any], url: str, check: Callable[[], None]
) -> PostgresEventStore:
    """The store on `conn` once `check` passes; the connection closed, and a database error
    said in one line, when it does not."""
    try:
        check()
    except psycopg.Error as exc:
        conn.close()
        raise StoreError(f"cannot open store {redact(url)}: {first_line(exc)}") from exc
    except BaseException:
        conn.close()
        raise
    return PostgresEventStore(conn, url)

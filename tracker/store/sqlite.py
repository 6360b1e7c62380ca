"""The SQLite recorder: one file a user can open with ordinary SQLite tools.

Invariants live in the database where they can (UNIQUE ids and stream versions, triggers that
refuse UPDATE and DELETE) and in `append`, which runs each batch in one IMMEDIATE transaction
so that the version check, the hash chain and the inserts see no other writer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator, Sequence
from contextlib import suppress
from functools import cache, cached_property
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from tracker.errors import ConflictError, DuplicateEventError, StoreError
from tracker.store.base import AppendResult, NewEvent, StoredEvent, VerifyReport
from tracker.store.chain import GENESIS, chained_rows, link_hash
from tracker.store.migrate import migrate

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_S = 30.0
READ_PAGE = 5000  # events per query of a reader on PostgreSQL (a round trip each)
SQLITE_PAGE = 500  # events per query on SQLite (in process: a page that stays in cache)
ID_CHUNK = 500  # stays under SQLite's limit on bound parameters
# Rows per INSERT statement: powers of two up to this many (1,280 parameters; fewer where
# SQLite allows fewer), so that batches of any size take at most eight statement texts, each
# prepared once and kept in the connection's statement cache.
INSERT_ROWS = 128

COLUMNS = (
    "position, event_id, stream, version, type, schema_version, payload, recorded_at, "
    "prev_hash, hash"
)


class SQLiteEventStore:
    def __init__(self, conn: sqlite3.Connection, path: Path, read_only: bool = False) -> None:
        self.conn = conn
        self.path = path
        # A read-only store is a copy in memory: the read models may catch up there, but
        # nothing reaches the file (tracker/store/access.py).
        self.read_only = read_only

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils on this connection, imported on first use: it imports numpy, a fifth
        of a second of every command's start-up otherwise."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # --- writing ------------------------------------------------------------------------

    def append(
        self, stream: str, events: Sequence[NewEvent], expected_version: int | None
    ) -> AppendResult:
        ids = [event.event_id for event in events]
        if len(set(ids)) != len(ids):
            raise DuplicateEventError(f"batch for stream {stream!r} holds the same id twice")
        if not events:
            return AppendResult(stream, version=self.stream_version(stream))
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            existing = self._existing_positions(ids)
            if len(existing) == len(ids):
                conn.execute("ROLLBACK")
                return AppendResult(
                    stream,
                    positions=tuple(existing[i] for i in ids),
                    version=self._version(stream),
                    replayed=True,
                )
            if existing:
                raise DuplicateEventError(
                    f"{len(existing)} of {len(ids)} events in the batch for stream {stream!r} "
                    "are already stored"
                )
            current = self._version(stream)
            if expected_version is not None and current != expected_version:
                raise ConflictError(
                    f"stream {stream!r} is at version {current}, expected {expected_version}"
                )
            last = conn.execute(
                "SELECT position, hash FROM events ORDER BY position DESC LIMIT 1"
            ).fetchone()
            rows = chained_rows(last if last else (0, GENESIS), stream, current, events)
            self._insert(rows)
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.IntegrityError):
                raise ConflictError(f"append to stream {stream!r} refused: {exc}") from exc
            if isinstance(exc, sqlite3.OperationalError):
                raise StoreError(f"append to stream {stream!r} failed: {exc}") from exc
            if isinstance(exc, sqlite3.DatabaseError):
                raise damaged(self.path, exc) from exc
            raise
        return AppendResult(
            stream,
            positions=tuple(row[0] for row in rows),
            version=current + len(events),
        )

    def _insert(self, rows: list[tuple[Any, ...]]) -> None:
        """INSERT the rows with a VALUES list of many rows per statement, not executemany's
        one statement run per row: SQLite then opens its cursors on the table and its six
        indexes once per statement instead of once per row: a third fewer instructions a row
        (41,700 -> 27,800 under callgrind). A failed statement leaves its rows out, and
        append rolls the whole transaction back."""
        size, start, execute = self._insert_rows, 0, self.conn.execute
        if len(rows) == 1:  # one event (an append of its own): its row as it is
            execute(_insert_sql(1), rows[0])
            return
        while start < len(rows):
            while size > len(rows) - start:
                size //= 2
            execute(_insert_sql(size), list(chain.from_iterable(rows[start : start + size])))
            start += size

    @cached_property
    def _insert_rows(self) -> int:
        size, limit = INSERT_ROWS, self.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        while size > 1 and size * 10 > limit:
            size //= 2
        return size

    def _existing_positions(self, ids: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(ids), ID_CHUNK):
            chunk = ids[start : start + ID_CHUNK]
            marks = ",".join("?" * len(chunk))
            found.update(
                self.conn.execute(
                    f"SELECT event_id, position FROM events WHERE event_id IN ({marks})", chunk
                ).fetchall()
            )
        return found

    def _version(self, stream: str) -> int:
        row = self.conn.execute(
            "SELECT MAX(version) FROM events WHERE stream = ?", (stream,)
        ).fetchone()
        return int(row[0] or 0)

    # --- reading ------------------------------------------------------------------------

    def read_all(
        self, after: int = 0, types: Collection[str] | None = None
    ) -> Iterator[StoredEvent]:
        # Page by position so memory stays flat and no read transaction is held open long.
        where, params = "position > ?", []
        if types is not None:
            where += f" AND type IN ({','.join('?' * len(types))})"
            params = list(types)
        # Small pages: a page of rows read while the last is still in the CPU's cache decodes
        # a third faster than one of 5,000 (bench/append.py). No statement stays open while
        # the caller works on a page, so it may write to the store meanwhile.
        sql = f"SELECT {COLUMNS} FROM events WHERE {where} ORDER BY position LIMIT ?"
        new, loads, execute = tuple.__new__, orjson.loads, self.conn.execute
        while True:
            rows = execute(sql, (after, *params, SQLITE_PAGE)).fetchall()
            # _stored, inline: this loop runs for every event read. The columns unpacked in
            # the for target (one opcode) rather than subscripted (ten): a twentieth faster.
            for a, b, c, d, e, f, payload, h, i, j in rows:
                yield new(StoredEvent, (a, b, c, d, e, f, loads(payload), h, i, j))
            if len(rows) < SQLITE_PAGE:
                return
            after = rows[-1][0]

    def read_stream(self, stream: str) -> Iterator[StoredEvent]:
        cursor = self.conn.execute(
            f"SELECT {COLUMNS} FROM events WHERE stream = ? ORDER BY version", (stream,)
        )
        for row in cursor:
            yield _stored(row)

    def stream_version(self, stream: str) -> int:
        return self._version(stream)

    def get(self, event_id: str) -> StoredEvent | None:
        row = self.conn.execute(
            f"SELECT {COLUMNS} FROM events WHERE event_id = ?", (event_id,)
        ).fetchone()
        return _stored(row) if row else None

    def find_article(self, content_sha256: str) -> str | None:
        row = self.conn.execute(
            "SELECT json_extract(payload, '$.article_id') FROM events "
            "WHERE type = 'article.ingested' "
            "AND json_extract(payload, '$.content_sha256') = ? LIMIT 1",
            (content_sha256,),
        ).fetchone()
        return str(row[0]) if row else None

    def put_text(self, sha256: str, text: str) -> None:
        try:
            self.conn.execute(
                "INSERT OR IGNORE INTO article_texts (sha256, text) VALUES (?, ?)", (sha256, text)
            )
        except sqlite3.Error as exc:
            raise StoreError(f"could not keep the article text: {exc}") from exc

    def get_text(self, sha256: str) -> str | None:
        row = self.conn.execute(
            "SELECT text FROM article_texts WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return str(row[0]) if row else None

    def match_ids(self, prefix: str, limit: int = 2) -> list[str]:
        rows = self.conn.execute(
            "SELECT event_id FROM events WHERE event_id >= ? AND event_id < ? LIMIT ?",
            (prefix, prefix + "\uffff", limit),
        ).fetchall()
        return [row[0] for row in rows]

    def head(self) -> int:
        row = self.conn.execute("SELECT MAX(position) FROM events").fetchone()
        return int(row[0] or 0)

    def hash_at(self, position: int) -> str | None:
        """The chain hash of the event at `position` (an anchor for `verify --expect`)."""
        row = self.conn.execute(
            "SELECT hash FROM events WHERE position = ?", (position,)
        ).fetchone()
        return str(row[0]) if row else None

    def integrity(self) -> list[str]:
        """What is wrong with the database itself, beyond the chain: SQLite's own integrity
        check (pages, indexes), and the append-only triggers, present and refusing."""
        problems = [
            f"SQLite integrity check: {row[0]}"
            for row in self.conn.execute("PRAGMA integrity_check(5)")
            if row[0] != "ok"
        ]
        return problems + missing_guards(self.conn)

    def verify(self) -> VerifyReport:
        """Recompute every hash from the raw columns; name the first position that fails."""
        prev_hash, prev_position, checked = GENESIS, 0, 0
        cursor = self.conn.execute(f"SELECT {COLUMNS} FROM events ORDER BY position")
        for row in cursor:
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

    def close(self) -> None:
        with suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> SQLiteEventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@cache
def _insert_sql(rows: int) -> str:
    return f"INSERT INTO events ({COLUMNS}) VALUES " + ",".join(["(?,?,?,?,?,?,?,?,?,?)"] * rows)


def _stored(r: tuple[Any, ...]) -> StoredEvent:
    # Reading the log back is dominated by JSON parsing: orjson is several times faster.
    # tuple.__new__ builds the NamedTuple without the Python frame of its __new__.
    return tuple.__new__(StoredEvent, (*r[:6], orjson.loads(r[6]), *r[7:]))


GUARDS = (
    "events_no_update",
    "events_no_delete",
    "article_texts_no_update",
    "article_texts_no_delete",
)


def missing_guards(conn: sqlite3.Connection) -> list[str]:
    """The append-only triggers that are missing, or that no longer refuse."""
    found = dict(
        conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
            " AND tbl_name IN ('events', 'article_texts')"
        ).fetchall()
    )
    return [
        f"append-only trigger {name} is missing"
        for name in GUARDS
        if "RAISE(ABORT" not in (found.get(name) or "").upper().replace(" ", "")
    ]


def damaged(path: Path, exc: BaseException) -> StoreError:
    return StoreError(
        f"store {path} is damaged ({exc}); writes refused; run `tracker verify --db {path}`"
    )


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (we issue BEGIN ourselves), WAL, busy timeout, FKs."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
    # SQLite adopts a file shorter than its header (a stray one-line note) as an empty
    # database. Asked before anything is written; the file itself is never opened here, since
    # closing another descriptor to it would drop the locks SQLite holds for this process.
    if not conn.execute("PRAGMA page_count").fetchone()[0] and path.stat().st_size:
        conn.close()
        raise sqlite3.DatabaseError("file is not a database")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def open_store(path: str | Path, create: bool = True, write: bool = True) -> SQLiteEventStore:
    """Open (and migrate) the store at `path`. With create=False a missing file is an error,
    so that read-only commands do not leave empty databases behind. With write=False a store
    on a read-only file or folder is opened as a copy in memory; with write=True it is refused
    in one line, as is a store that failed `tracker verify` or lost its append-only triggers."""
    from tracker.store import access

    path = Path(path)
    if not create and not path.exists():
        raise StoreError(f"no store at {path}; run `tracker init --db {path}` first")
    if path.exists() and path.is_dir():
        raise StoreError(f"{path} is a directory, not a store file")
    if path.exists() and not access.writable(path):
        if write:
            raise StoreError(
                f"store {path} is read-only (the file or its folder); this command writes to "
                "it; verify, list, status, timeline and export can read it"
            )
        return access.open_copy(path)
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = connect(path)
        migrate(conn)
    except sqlite3.OperationalError as exc:
        raise StoreError(f"cannot open store {path}: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        if "malformed" in str(exc):
            raise damaged(path, exc) from exc
        raise StoreError(f"cannot open store {path}: {exc}") from exc
    store = SQLiteEventStore(conn, path)
    if write:
        try:
            access.check_writes_allowed(store)
        except BaseException:
            store.close()
            raise
    return store

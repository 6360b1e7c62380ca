"""Who may do what on a PostgreSQL store. The role that owns the tables (the one that ran
`tracker init`, which applies the migrations) can always change them: an owner may UPDATE
any row, disable a trigger or drop a table, and no REVOKE binds it. So the tracker's day-to-day
role should not be the owner: `tracker init --db URL --grant ROLE`, run by the owner, lets
ROLE append to the log and the article texts and read them, with no right to UPDATE, DELETE
or TRUNCATE them (the server refuses with "permission denied", before any trigger runs), and
no right to ALTER them (only an owner may disable the append-only triggers). ROLE reads and
writes the other tables (read models, feed state, claims): they are disposable, folded from
the log. Grants are recorded in store_roles and applied again after each migration."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
from psycopg import sql

from tracker.errors import StoreError
from tracker.store.pg_migrate import first_line

APPEND_ONLY = ("events", "article_texts")  # SELECT and INSERT, never UPDATE/DELETE/TRUNCATE
READ_ONLY = ("schema_migrations",)  # a role that is not the owner cannot migrate
OWNER_ONLY = ("store_roles",)


def grant(conn: psycopg.Connection, role: str) -> None:
    """Let `role` use the store as the tracker does, and record it (for later migrations)."""
    try:
        found = conn.execute(
            "SELECT r.rolname = t.tableowner FROM pg_roles r, pg_tables t"
            " WHERE r.rolname = %s AND t.tablename = 'events'"
            " AND t.schemaname = current_schema()",
            (role,),
        ).fetchone()
        if found is None:
            raise StoreError(f"no role {role!r} on the server; CREATE ROLE {role} LOGIN first")
        if found[0]:
            raise StoreError(f"{role!r} owns the store's tables; grant to another role")
        with conn.transaction():
            conn.execute(
                "INSERT INTO store_roles (role, granted_at) VALUES (%s, %s)"
                " ON CONFLICT (role) DO NOTHING",
                (role, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            _apply(conn, role)
    except psycopg.Error as exc:
        raise StoreError(f"cannot grant the store to {role!r}: {first_line(exc)}") from None


def regrant(conn: psycopg.Connection) -> None:
    """The rights of every recorded role again, on the tables as they are now."""
    for (role,) in conn.execute("SELECT role FROM store_roles").fetchall():
        _apply(conn, role)


def _apply(conn: psycopg.Connection, role: str) -> None:
    who = sql.Identifier(role)
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
    ]
    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(_schema(conn), who))
    for table in tables:
        name = sql.Identifier(table)
        conn.execute(sql.SQL("REVOKE ALL ON {} FROM {}").format(name, who))
        if table in OWNER_ONLY:
            continue
        rights = (
            "SELECT"
            if table in READ_ONLY
            else "SELECT, INSERT"
            if table in APPEND_ONLY
            else "SELECT, INSERT, UPDATE, DELETE"
        )
        conn.execute(sql.SQL(f"GRANT {rights} ON {{}} TO {{}}").format(name, who))


def _schema(conn: psycopg.Connection) -> sql.Identifier:
    row = conn.execute("SELECT current_schema()").fetchone()
    return sql.Identifier(str(row[0]) if row else "public")

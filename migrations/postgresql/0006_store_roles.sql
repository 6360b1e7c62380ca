-- The roles that `tracker init --grant ROLE` let use this store (tracker/store/pg_roles.py).
-- Their rights are granted again after every migration, so a table a later release adds is
-- theirs to use too. Only the owner reads or writes this table.
CREATE TABLE store_roles (
    role       TEXT PRIMARY KEY,
    granted_at TEXT NOT NULL
);

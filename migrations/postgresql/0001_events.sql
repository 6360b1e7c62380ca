-- The append-only event log on PostgreSQL: the same columns and invariants as the SQLite
-- 0001_events.sql, so a row hashes to the same value on either backend. payload stays TEXT
-- (checked to be JSON): jsonb would respell it and break the hash chain. Text keys compare
-- byte-wise (COLLATE "C") so prefix matching of event ids works as on SQLite.
CREATE TABLE events (
    position       BIGINT  PRIMARY KEY CHECK (position >= 1),
    event_id       TEXT    COLLATE "C" NOT NULL UNIQUE,
    stream         TEXT    COLLATE "C" NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    type           TEXT    COLLATE "C" NOT NULL,
    schema_version INTEGER NOT NULL,
    payload        TEXT    NOT NULL CHECK (payload::json IS NOT NULL),
    recorded_at    TEXT    NOT NULL,
    prev_hash      TEXT    NOT NULL,
    hash           TEXT    NOT NULL,
    UNIQUE (stream, version)
);

CREATE INDEX events_type ON events (type);

-- find_article looks an article up by the hash of its text.
CREATE INDEX events_article_sha ON events (((payload::jsonb) ->> 'content_sha256'))
    WHERE type = 'article.ingested';

-- The database itself refuses edits: corrections are new events, never changes. Statement
-- triggers, so that even an UPDATE or DELETE matching no row is refused, and TRUNCATE too.
CREATE FUNCTION events_refuse_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % refused', TG_OP;
END
$$;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_edit();

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_edit();

CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_edit();

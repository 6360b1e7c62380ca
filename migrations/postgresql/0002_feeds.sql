-- Feed state on PostgreSQL: the same read model as SQLite's 0003_feeds.sql, folded from the
-- feed.* events (tracker/feeds/state_pg.py), plus feed_claims, which lets several pollers
-- share one log: a poller polls a due feed only after inserting its claim on that round.
CREATE TABLE feeds (
    feed_id         TEXT    COLLATE "C" PRIMARY KEY,
    url             TEXT    NOT NULL,
    negotiation     TEXT,
    every_s         INTEGER NOT NULL,
    full_text       INTEGER NOT NULL DEFAULT 0,
    status          TEXT    NOT NULL,  -- active | failing | gone | removed
    subscribed_at   TEXT    NOT NULL,
    last_poll_at    TEXT,              -- the last poll recorded in the log
    last_checked_at TEXT,              -- the last poll of any kind, 304 included
    last_status     INTEGER,
    last_error      TEXT,
    last_warning    TEXT,
    failures        INTEGER NOT NULL DEFAULT 0,
    retry_at        TEXT,
    etag            TEXT,
    last_modified   TEXT,
    entries_seen    INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX feeds_url ON feeds (url);

CREATE TABLE feed_entries (
    key        TEXT COLLATE "C" PRIMARY KEY,
    article_id TEXT NOT NULL,
    feed_id    TEXT NOT NULL,
    seen_at    TEXT NOT NULL
);

CREATE INDEX feed_entries_article ON feed_entries (article_id);

CREATE TABLE feed_checkpoint (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position BIGINT  NOT NULL
);

INSERT INTO feed_checkpoint (id, position) VALUES (1, 0);

-- One row per feed: the round (the last check the claimer saw) it claimed, and when. Not
-- part of the log: it only coordinates pollers, and losing it costs at most one extra poll.
CREATE TABLE feed_claims (
    feed_id    TEXT COLLATE "C" PRIMARY KEY,
    round      TEXT NOT NULL,
    claimed_by TEXT NOT NULL,
    claimed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

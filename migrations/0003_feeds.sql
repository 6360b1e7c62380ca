-- Feed state: a read model folded from the feed.* events (tracker/feeds/state.py), so it can be
-- dropped and rebuilt from the log. Only last_checked_at is operational: an unchanged feed
-- (304) updates it without an event.
CREATE TABLE feeds (
    feed_id         TEXT    PRIMARY KEY,
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

-- Not unique: a feed may move (301) onto the URL of another.
CREATE INDEX feeds_url ON feeds (url);

-- Every dedup key of every entry ingested from any feed: guid:..., link:..., sha256:...
CREATE TABLE feed_entries (
    key        TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    feed_id    TEXT NOT NULL,
    seen_at    TEXT NOT NULL
);

CREATE INDEX feed_entries_article ON feed_entries (article_id);

-- How far into the log the tables above have been folded.
CREATE TABLE feed_checkpoint (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL
);

INSERT INTO feed_checkpoint (id, position) VALUES (1, 0);

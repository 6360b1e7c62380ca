-- Every delivery of a change alert by `tracker run --notify`, and every failed attempt: one
-- row per attempt, appended. Operational record, not a projection: nothing here is folded.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,             -- when the attempt ended (UTC, ISO 8601)
    negotiation TEXT NOT NULL,
    target TEXT NOT NULL,         -- the webhook URL or the command line
    attempt INTEGER NOT NULL,     -- 1 for the first try
    outcome TEXT NOT NULL,        -- delivered | failed | gave up | abandoned
    detail TEXT,                  -- HTTP status or exit code, the error
    after_position INTEGER NOT NULL,  -- the change covers log positions (after, upto]
    upto_position INTEGER NOT NULL
);
CREATE INDEX notifications_negotiation ON notifications (negotiation, at);

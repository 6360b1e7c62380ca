-- Read models of the projections (tracker/projections/readmodel.py). They are disposable:
-- `tracker rebuild` empties them and replays the log. Each catch-up writes its rows and the
-- checkpoint (the last log position folded) in one transaction, so an event is folded once.
CREATE TABLE projection_checkpoints (
    name       TEXT    PRIMARY KEY,
    position   INTEGER NOT NULL,
    updated_at TEXT    NOT NULL
);

-- One row per negotiation: its current status as JSON (the `tracker status --format json`
-- document without the view-time fields), and columns to query with plain SQL.
CREATE TABLE projection_status (
    negotiation TEXT    PRIMARY KEY,
    phase       TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    events      INTEGER NOT NULL,
    clock       TEXT,
    status      TEXT    NOT NULL CHECK (json_valid(status))
);

-- One row per happening: reports of the same type, actor, target and modality from different
-- articles within a few days are one entry (see tracker/projections/timeline.py).
CREATE TABLE projection_timeline (
    id             TEXT    PRIMARY KEY,
    negotiation    TEXT    NOT NULL,
    date           TEXT,
    type           TEXT    NOT NULL,
    actor          TEXT    NOT NULL,
    target         TEXT,
    modality       TEXT    NOT NULL,
    summary        TEXT    NOT NULL,
    sources        INTEGER NOT NULL,
    first_position INTEGER NOT NULL,
    match_key      TEXT    NOT NULL,
    entry          TEXT    NOT NULL CHECK (json_valid(entry))
);

CREATE INDEX projection_timeline_match ON projection_timeline (match_key, date);
CREATE INDEX projection_timeline_date ON projection_timeline (negotiation, date);

-- The timeline keeps one header row per entry and which events each entry holds; its evidence
-- lines are read from those events (a rebuild writes far less). Read models are disposable:
-- the old table goes and the next catch-up refolds the log.
DROP TABLE projection_timeline;

CREATE TABLE projection_timeline (
    id             TEXT    PRIMARY KEY,  -- negotiation/position of the first report
    negotiation    TEXT    NOT NULL,
    date           TEXT,
    type           TEXT    NOT NULL,
    actor          TEXT    NOT NULL,
    target         TEXT,
    modality       TEXT    NOT NULL,
    summary        TEXT    NOT NULL,
    sources        INTEGER NOT NULL,     -- independent sources (outlets) that told it
    source_names   TEXT    NOT NULL CHECK (json_valid(source_names)),
    articles       TEXT    NOT NULL CHECK (json_valid(articles)),
    first_position INTEGER NOT NULL,
    last_position  INTEGER NOT NULL,
    match_key      TEXT    NOT NULL
);

CREATE INDEX projection_timeline_match ON projection_timeline (match_key, date);
CREATE INDEX projection_timeline_date ON projection_timeline (negotiation, date);

-- Which log positions each entry holds (join events on position for the evidence).
CREATE TABLE projection_timeline_events (
    entry_id TEXT    NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (entry_id, position)
) WITHOUT ROWID;

DELETE FROM projection_status;
DELETE FROM projection_checkpoints WHERE name LIKE 'status@%';

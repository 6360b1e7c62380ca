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
-- articles within a few days are one entry (see tracker/projections/timeline.py). Keyed by
-- negotiation, day and first report, the order it is listed and looked up in, so a rebuild
-- writes one b-tree per entry. An entry lists the log positions it holds: its evidence lines
-- and its one-line summary are read from those events. Only the fold writes the JSON columns.
CREATE TABLE projection_timeline (
    negotiation    TEXT    NOT NULL,
    date           TEXT    NOT NULL,     -- YYYY-MM-DD, '' when undated (a key cannot be NULL)
    first_position INTEGER NOT NULL,     -- the log position of the first report
    id             TEXT    NOT NULL,     -- negotiation/first_position, as `tracker timeline` shows it
    type           TEXT    NOT NULL,
    actor          TEXT    NOT NULL,
    target         TEXT,
    modality       TEXT    NOT NULL,
    sources        INTEGER NOT NULL,     -- independent sources (outlets) that told it
    source_names   TEXT    NOT NULL,     -- JSON list
    articles       TEXT    NOT NULL,     -- JSON list
    positions      TEXT    NOT NULL,     -- JSON list: every report, in log order
    last_position  INTEGER NOT NULL,
    match_key      TEXT    NOT NULL,     -- type, actor, target, modality: reports that may merge
    PRIMARY KEY (negotiation, date, first_position)
) WITHOUT ROWID;

-- The read models of the projections on PostgreSQL: the same tables as SQLite's
-- 0002_projections.sql and 0005_fold_by_valid_time.sql (tracker/store/readmodels_pg.py writes
-- them). Disposable: `tracker rebuild` empties them and folds the log again. Keys that the
-- fold compares and orders (days, ranks, fold keys) are COLLATE "C", byte-wise, so they sort
-- as on SQLite whatever the database's locale.
CREATE TABLE projection_checkpoints (
    name       TEXT   COLLATE "C" PRIMARY KEY,
    position   BIGINT NOT NULL,
    updated_at TEXT   NOT NULL
);

CREATE TABLE projection_status (
    negotiation TEXT    COLLATE "C" PRIMARY KEY,
    phase       TEXT    NOT NULL,
    position    BIGINT  NOT NULL,
    events      INTEGER NOT NULL,
    clock       TEXT,
    status      TEXT    NOT NULL CHECK (status::json IS NOT NULL),
    folded_to   TEXT    COLLATE "C" NOT NULL DEFAULT ''
);

CREATE TABLE projection_timeline (
    negotiation    TEXT    COLLATE "C" NOT NULL,
    date           TEXT    COLLATE "C" NOT NULL,  -- YYYY-MM-DD, '' when undated
    rank           TEXT    COLLATE "C" NOT NULL,  -- fold key of the first report
    id             TEXT    NOT NULL,
    first_position BIGINT  NOT NULL,
    type           TEXT    NOT NULL,
    actor          TEXT    NOT NULL,
    target         TEXT,
    modality       TEXT    NOT NULL,
    sources        INTEGER NOT NULL,
    source_names   TEXT    NOT NULL,              -- JSON list
    articles       TEXT    NOT NULL,              -- JSON list
    positions      TEXT    NOT NULL,              -- JSON list, in fold order
    last_position  BIGINT  NOT NULL,
    match_key      TEXT    COLLATE "C" NOT NULL,
    PRIMARY KEY (negotiation, date, rank)
);

CREATE INDEX projection_timeline_match ON projection_timeline (negotiation, match_key);

CREATE TABLE projection_facts (
    negotiation TEXT   COLLATE "C" NOT NULL,
    key         TEXT   COLLATE "C" NOT NULL,
    position    BIGINT NOT NULL,
    PRIMARY KEY (negotiation, key)
);

CREATE TABLE projection_snapshots (
    negotiation TEXT COLLATE "C" NOT NULL,
    key         TEXT COLLATE "C" NOT NULL,
    status      TEXT NOT NULL,
    PRIMARY KEY (negotiation, key)
);

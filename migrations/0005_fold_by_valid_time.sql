-- The projections fold by valid time (tracker/projections/facts.py, fold_key), not by log
-- position. Read models are disposable: the old rows are dropped and the next catch-up
-- folds the log again.
--
-- projection_status.folded_to: the fold key of the last event folded into the status; an
-- event that sorts before it arrived late, and its negotiation is folded again.
ALTER TABLE projection_status ADD COLUMN folded_to TEXT NOT NULL DEFAULT '';
DELETE FROM projection_status;
DELETE FROM projection_checkpoints WHERE name LIKE 'status@%';

-- The timeline is keyed by negotiation, day and rank (the fold key of an entry's first
-- report), the order it is listed in whatever order the log holds the reports in. Listing
-- the most recent entries reads the key backwards; `positions` lists the reports in fold
-- order.
DROP TABLE projection_timeline;
CREATE TABLE projection_timeline (
    negotiation    TEXT    NOT NULL,
    date           TEXT    NOT NULL,     -- YYYY-MM-DD, '' when undated (a key cannot be NULL)
    rank           TEXT    NOT NULL,     -- fold key of the first report: order within the day
    id             TEXT    NOT NULL,     -- negotiation/first report's event id, as shown
    first_position INTEGER NOT NULL,     -- log position of the first report (in this copy)
    type           TEXT    NOT NULL,
    actor          TEXT    NOT NULL,
    target         TEXT,
    modality       TEXT    NOT NULL,
    sources        INTEGER NOT NULL,     -- independent sources (outlets) that told it
    source_names   TEXT    NOT NULL,     -- JSON list
    articles       TEXT    NOT NULL,     -- JSON list
    positions      TEXT    NOT NULL,     -- JSON list: every report, in fold order
    last_position  INTEGER NOT NULL,
    match_key      TEXT    NOT NULL,     -- type, actor, target, modality: reports that may merge
    PRIMARY KEY (negotiation, date, rank)
) WITHOUT ROWID;
-- A late report regroups only the timeline entries of its own key.
CREATE INDEX projection_timeline_match ON projection_timeline (negotiation, match_key);

-- Every fact folded into a negotiation, in fold order; and the negotiation's status every
-- SNAPSHOT_EVERY facts. A report that arrives late refolds its negotiation from the last
-- snapshot before it, reading only the facts after that snapshot.
CREATE TABLE projection_facts (
    negotiation TEXT    NOT NULL,
    key         TEXT    NOT NULL,     -- the fact's fold key (facts.fold_key)
    position    INTEGER NOT NULL,
    PRIMARY KEY (negotiation, key)
) WITHOUT ROWID;

CREATE TABLE projection_snapshots (
    negotiation TEXT    NOT NULL,
    key         TEXT    NOT NULL,     -- fold key of the last fact folded into it
    status      TEXT    NOT NULL,     -- the status JSON then
    PRIMARY KEY (negotiation, key)
) WITHOUT ROWID;

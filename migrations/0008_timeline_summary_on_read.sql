-- The timeline no longer stores each entry's one-line summary: it is the first report in
-- words, and reading an entry reads that report anyway (for the evidence lines), so the
-- summary is worded then. A rebuild writes a million fewer texts. Read models are
-- disposable: the table is recreated empty and the next catch-up refolds the log.
DROP TABLE projection_timeline;

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

DELETE FROM projection_status;
DELETE FROM projection_checkpoints WHERE name LIKE 'status@%';

-- The timeline read model as ONE table keyed by negotiation, day and first report, which is
-- the order it is listed and looked up in: a rebuild writes one b-tree per entry instead of
-- five (rowid, id, two indexes, a member table), and an entry lists the log positions it
-- holds (join events on position for its evidence). Read models are disposable: the old
-- tables go and the next catch-up refolds the log.
DROP TABLE projection_timeline_events;
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
    summary        TEXT    NOT NULL,
    sources        INTEGER NOT NULL,     -- independent sources (outlets) that told it
    source_names   TEXT    NOT NULL CHECK (json_valid(source_names)),
    articles       TEXT    NOT NULL CHECK (json_valid(articles)),
    positions      TEXT    NOT NULL CHECK (json_valid(positions)),  -- every report, in log order
    last_position  INTEGER NOT NULL,
    match_key      TEXT    NOT NULL,     -- type, actor, target, modality: reports that may merge
    PRIMARY KEY (negotiation, date, first_position)
) WITHOUT ROWID;

DELETE FROM projection_status;
DELETE FROM projection_checkpoints WHERE name LIKE 'status@%';

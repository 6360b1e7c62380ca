-- Full-text search on PostgreSQL (tracker/search.py, tracker/store/readmodels_pg.py): the
-- server's own text search, with the english configuration (stemming and stop words, as the
-- porter tokenizer of SQLite's FTS5). The texts are indexed where they are kept: an expression
-- index on article_texts, so no text is stored twice and the append-only table is not changed.
CREATE INDEX article_texts_words ON article_texts USING gin (to_tsvector('english', text));

-- Folded from the log like the projections (checkpoint search@1 in projection_checkpoints).
CREATE TABLE search_articles (
    article_id   TEXT COLLATE "C" PRIMARY KEY,
    text_sha256  TEXT,
    title        TEXT NOT NULL,
    negotiations TEXT NOT NULL  -- JSON list
);

CREATE INDEX search_articles_text ON search_articles (text_sha256);

CREATE TABLE search_evidence (
    position     BIGINT PRIMARY KEY,
    event_id     TEXT   NOT NULL,
    article_id   TEXT   NOT NULL,
    summary      TEXT   NOT NULL,
    negotiations TEXT   NOT NULL,  -- JSON list
    body         TEXT   NOT NULL,
    words        tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED
);

CREATE INDEX search_evidence_words ON search_evidence USING gin (words);

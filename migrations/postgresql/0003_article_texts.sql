-- Each article's text as given, once per text, as on SQLite (migrations/0010_article_texts.sql):
-- keyed by the sha256 of its exact UTF-8 bytes, named by the article.ingested event
-- (text_sha256) that refers to it. Like the log, a text is never changed or removed: statement
-- triggers refuse UPDATE, DELETE and TRUNCATE, even of no row.
CREATE TABLE article_texts (
    sha256 TEXT COLLATE "C" PRIMARY KEY CHECK (length(sha256) = 64),
    text   TEXT NOT NULL
);

CREATE FUNCTION article_texts_refuse_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'article texts are append-only: % refused', TG_OP;
END
$$;

CREATE TRIGGER article_texts_no_update BEFORE UPDATE ON article_texts
    FOR EACH STATEMENT EXECUTE FUNCTION article_texts_refuse_edit();

CREATE TRIGGER article_texts_no_delete BEFORE DELETE ON article_texts
    FOR EACH STATEMENT EXECUTE FUNCTION article_texts_refuse_edit();

CREATE TRIGGER article_texts_no_truncate BEFORE TRUNCATE ON article_texts
    FOR EACH STATEMENT EXECUTE FUNCTION article_texts_refuse_edit();

-- Each article's text as given, once per text: keyed by the sha256 of its exact UTF-8 bytes,
-- named by the article.ingested event (text_sha256) that refers to it. Kept so evidence can be
-- shown in context, searched, and extracted again (`tracker reextract`). Like the log, a text
-- is never changed or removed: the database refuses it.
CREATE TABLE article_texts (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    text   TEXT NOT NULL
);

CREATE TRIGGER article_texts_no_update BEFORE UPDATE ON article_texts
BEGIN
    SELECT RAISE(ABORT, 'article texts are append-only: UPDATE refused');
END;

CREATE TRIGGER article_texts_no_delete BEFORE DELETE ON article_texts
BEGIN
    SELECT RAISE(ABORT, 'article texts are append-only: DELETE refused');
END;


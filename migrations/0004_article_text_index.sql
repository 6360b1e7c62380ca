-- An article is known by its text as well as its id: the same text arriving under another id
-- (a feed entry of an article already ingested from a file) adds nothing.
CREATE INDEX events_article_sha256
    ON events (json_extract(payload, '$.content_sha256'))
    WHERE type = 'article.ingested';

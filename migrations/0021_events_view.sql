-- Views that flatten the log for people and for Datasette: one row per negotiation event,
-- with corrections applied and retractions flagged, as `tracker list --format json` shows
-- them (tests/test_sql_views.py checks they agree). The rows of `events` never change.

-- Every field each correction sets: one row per (correction, field), its value as JSON.
CREATE VIEW event_fixes AS
SELECT json_extract(c.payload, '$.event_id') AS event_id, c.position, j.key, j.value
FROM events c, json_each(c.payload, '$.changes') j
WHERE c.type = 'event.corrected';

-- Retractions and corrections found by the id of the event they amend. The views compare
-- with `+e.event_id`: a column without its TEXT affinity, so these indexes can serve.
CREATE INDEX events_retraction_target ON events (json_extract(payload, '$.event_id'))
    WHERE type = 'event.retracted';
CREATE INDEX events_correction_target ON events (json_extract(payload, '$.event_id'))
    WHERE type = 'event.corrected';

-- Negotiation events (they have an actor and evidence), each field as last corrected.
CREATE VIEW events_amended AS
SELECT
    e.position, e.event_id, e.type, e.stream, e.recorded_at,
    json_extract(e.payload, '$.article_id') AS article_id,
    CASE WHEN EXISTS (SELECT 1 FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'actor')
         THEN (SELECT x.value FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'actor'
               ORDER BY x.position DESC LIMIT 1)
         ELSE json_extract(e.payload, '$.actor') END AS actor,
    CASE WHEN EXISTS (SELECT 1 FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'target')
         THEN (SELECT x.value FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'target'
               ORDER BY x.position DESC LIMIT 1)
         ELSE json_extract(e.payload, '$.target') END AS target,
    CASE WHEN EXISTS (SELECT 1 FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'via')
         THEN (SELECT x.value FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'via'
               ORDER BY x.position DESC LIMIT 1)
         ELSE json_extract(e.payload, '$.via') END AS via,
    CASE WHEN EXISTS (SELECT 1 FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'location')
         THEN (SELECT x.value FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'location'
               ORDER BY x.position DESC LIMIT 1)
         ELSE json_extract(e.payload, '$.location') END AS location,
    CASE WHEN EXISTS (SELECT 1 FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'modality')
         THEN (SELECT x.value FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'modality'
               ORDER BY x.position DESC LIMIT 1)
         ELSE json_extract(e.payload, '$.modality') END AS modality,
    CASE WHEN EXISTS (SELECT 1 FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'condition')
         THEN (SELECT x.value FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'condition'
               ORDER BY x.position DESC LIMIT 1)
         ELSE json_extract(e.payload, '$.condition') END AS condition,
    CASE WHEN EXISTS (SELECT 1 FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'attribution')
         THEN (SELECT x.value FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'attribution'
               ORDER BY x.position DESC LIMIT 1)
         ELSE json_extract(e.payload, '$.attribution') END AS attribution,
    CASE WHEN EXISTS (SELECT 1 FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'person')
         THEN (SELECT x.value FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'person'
               ORDER BY x.position DESC LIMIT 1)
         ELSE json_extract(e.payload, '$.person') END AS person,
    CASE WHEN EXISTS (SELECT 1 FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'evidence')
         THEN (SELECT x.value FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'evidence'
               ORDER BY x.position DESC LIMIT 1)
         ELSE json_extract(e.payload, '$.evidence') END AS evidence,
    CASE WHEN EXISTS (SELECT 1 FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'negotiations')
         THEN (SELECT x.value FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'negotiations'
               ORDER BY x.position DESC LIMIT 1)
         ELSE json_extract(e.payload, '$.negotiations') END AS negotiations,
    CASE WHEN EXISTS (SELECT 1 FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'published')
         THEN (SELECT x.value FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'published'
               ORDER BY x.position DESC LIMIT 1)
         ELSE json_extract(e.payload, '$.published') END AS published,
    CASE WHEN EXISTS (SELECT 1 FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'occurred')
         THEN (SELECT x.value FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'occurred'
               ORDER BY x.position DESC LIMIT 1)
         ELSE json_extract(e.payload, '$.occurred') END AS occurred,
    CASE WHEN EXISTS (SELECT 1 FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'source_url')
         THEN (SELECT x.value FROM event_fixes x WHERE x.event_id = +e.event_id AND x.key = 'source_url'
               ORDER BY x.position DESC LIMIT 1)
         ELSE json_extract(e.payload, '$.source_url') END AS source_url
FROM events e
WHERE json_type(e.payload, '$.actor') IS NOT NULL AND json_type(e.payload, '$.evidence') = 'array';

CREATE VIEW events_view AS
SELECT
    e.position,
    (SELECT group_concat(n.value, ', ') FROM json_each(
        CASE WHEN json_array_length(e.negotiations) > 0 THEN e.negotiations
             ELSE json_extract(a.payload, '$.negotiations') END) n) AS negotiation,
    e.type,
    e.actor,
    e.target,
    (SELECT group_concat(v.value, ', ') FROM json_each(e.via) v) AS via,
    e.modality,
    e.condition,
    e.attribution,
    (SELECT group_concat(json_extract(s.value, '$.text'), char(10)) FROM json_each(e.evidence) s)
        AS evidence,
    coalesce(e.published, json_extract(a.payload, '$.published')) AS published,
    coalesce(e.source_url, json_extract(a.payload, '$.url')) AS url,
    EXISTS (SELECT 1 FROM events r WHERE r.type = 'event.retracted'
            AND json_extract(r.payload, '$.event_id') = +e.event_id) AS retracted,
    EXISTS (SELECT 1 FROM events c WHERE c.type = 'event.corrected'
            AND json_extract(c.payload, '$.event_id') = +e.event_id) AS corrected,
    e.event_id AS id,
    e.occurred,
    coalesce(e.occurred, e.published, json_extract(a.payload, '$.published')) AS date,
    e.location,
    e.person,
    e.article_id,
    json_extract(a.payload, '$.title') AS article_title,
    e.recorded_at
FROM events_amended e
-- (+a.type: look the article up by its stream, not among all articles by type)
LEFT JOIN events a ON a.stream = 'article-' || e.article_id AND +a.type = 'article.ingested';

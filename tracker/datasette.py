"""`tracker datasette-metadata`: a Datasette metadata document for a store, so that
`datasette tracker.db -m metadata.json` explains every table, view and column at a glance.
The descriptions are written here; the tables and columns present are read from the store
with sqlite-utils, so a table this tracker does not know is listed without a description
rather than left out, and a described column that is gone is not claimed."""

from __future__ import annotations

from typing import Any

from tracker.store.sqlite import SQLiteEventStore

TITLE = "tracker: negotiation events, sourced and append-only"
DESCRIPTION = (
    "Each row of `events` is an immutable event with the sentence it came from; start with "
    "`events_view` (one row per negotiation event, corrections applied, retractions flagged). "
    "The projection_* and feed* tables are read models derived from the log."
)

EVENT_COLUMNS = {
    "position": "Global order in the log (1, 2, 3 ...).",
    "negotiation": "The negotiation(s) the event belongs to: its own, else its article's.",
    "type": "Event type from the catalog (events/catalog.toml), e.g. proposal.made.",
    "actor": "Canonical party that acts (a state or an organisation).",
    "target": "Party the act is aimed at, if any.",
    "via": "Mediators or channels, comma separated.",
    "modality": "How it was told: asserted, planned, predicted, conditional or negated. "
    "Only asserted events are facts.",
    "condition": "For a conditional event: what it depends on.",
    "attribution": "Who the article attributes the statement to.",
    "evidence": "The verbatim sentence(s) of the article that state the event, one a line.",
    "published": "The article's publication date (YYYY-MM-DD).",
    "url": "The article's URL (or the source given for an analyst's event).",
    "retracted": "1 when the event was retracted (`tracker retract`); it stays in the log.",
    "corrected": "1 when fields were corrected (`tracker correct`); the values shown are the "
    "corrected ones.",
    "id": "Event id (content hash): the same event ingested twice has the same id.",
    "occurred": "When it happened or is due, if the article says.",
    "date": "Valid time: occurred, else published.",
    "location": "Where, if the article says.",
    "person": "The person speaking for the actor, e.g. Antony Blinken for United States.",
    "article_id": "The article the event was extracted from (none for an analyst's event).",
    "article_title": "That article's title.",
    "recorded_at": "When the store recorded it (UTC): record time, for --known-at.",
}

AMENDED_SHARED = (
    "position",
    "type",
    "actor",
    "target",
    "modality",
    "condition",
    "attribution",
    "published",
    "occurred",
    "location",
    "person",
    "article_id",
    "recorded_at",
)

TABLES: dict[str, dict[str, Any]] = {
    "events_view": {
        "description": "One row per negotiation event, flattened for reading: corrections "
        "applied, retractions flagged, the negotiation, date and URL from the article.",
        "columns": EVENT_COLUMNS,
        "facets": ["negotiation", "type", "modality", "actor"],
        "sort": "position",
    },
    "events_amended": {
        "description": "Negotiation events with each field as last corrected (JSON values); "
        "events_view is built on it.",
        "columns": {k: v for k, v in EVENT_COLUMNS.items() if k in AMENDED_SHARED}
        | {
            "event_id": "Event id.",
            "stream": "The event's stream.",
            "negotiations": "The negotiations the event itself names (JSON list).",
            "via": "Mediators or channels (JSON list).",
            "evidence": "Evidence spans: text, start, end (JSON list).",
            "source_url": "The source given for the event, if any.",
        },
    },
    "event_fixes": {
        "description": "Every field each correction sets: one row per correction and field.",
        "columns": {
            "event_id": "The corrected event.",
            "position": "The correction's position in the log.",
            "key": "The field corrected.",
            "value": "Its new value (JSON).",
        },
    },
    "events": {
        "description": "The append-only log: UPDATE and DELETE are refused by triggers; each "
        "row's hash chains it to the previous row (`tracker verify`).",
        "columns": {
            "position": "Global order in the log.",
            "event_id": "Content-derived id (sha256): appends are idempotent.",
            "stream": "article-<id>, manual-<negotiation>, feed-<id>: the event's stream.",
            "version": "Order within the stream; appends state the version they expect.",
            "type": "Event type, e.g. proposal.made, article.ingested, feed.polled.",
            "schema_version": "Version of the payload's schema; older ones are upcast on read.",
            "payload": "The event as JSON (the fields of its type).",
            "recorded_at": "When it was appended (UTC).",
            "prev_hash": "The hash of the row before.",
            "hash": "sha256 over this row's content and prev_hash.",
        },
        "sort": "position",
    },
    "notifications": {
        "description": "Every attempt of `tracker run --notify` to deliver a change alert.",
        "columns": {
            "id": "Row id.",
            "at": "When the attempt ended (UTC).",
            "negotiation": "The negotiation whose status changed.",
            "target": "The webhook URL or command.",
            "attempt": "1 for the first try.",
            "outcome": "delivered, failed (retried), gave up, or abandoned (the scheduler "
            "stopped).",
            "detail": "HTTP status or exit code, or the error.",
            "after_position": "The change covers the log positions after this one ...",
            "upto_position": "... up to this one.",
        },
        "sort_desc": "id",
    },
    "projection_status": {
        "description": "Read model: each negotiation's current status (rebuilt from the log "
        "by `tracker rebuild`).",
        "columns": {
            "negotiation": "Negotiation id.",
            "phase": "Phase of the talks, e.g. proposal_pending, negotiating, agreement_reached.",
            "position": "Last log position folded into this status.",
            "events": "Events folded.",
            "clock": "Latest valid-time date folded.",
            "status": "The whole status as JSON: the status fields of `tracker status --json` "
            "(events/schema/status.json) and the fold's bookkeeping (clock, articles_seen).",
            "folded_to": "Fold key (valid time) of the last fact folded: a report that "
            "lands before it refolds the negotiation.",
        },
    },
    "projection_facts": {
        "description": "Read model: each folded fact's place in valid time, so a late report "
        "finds where it belongs.",
        "columns": {
            "negotiation": "Negotiation id.",
            "key": "The fact's fold key (its day, article, place in the article, id).",
            "position": "Its log position.",
        },
    },
    "projection_snapshots": {
        "description": "Read model: a negotiation's status saved every so many facts, where a "
        "late report's refold starts.",
        "columns": {
            "negotiation": "Negotiation id.",
            "key": "Fold key of the last fact folded into it.",
            "status": "The status JSON then.",
        },
    },
    "article_texts": {
        "description": "Each article's text, once per text (content-addressed), for "
        "`tracker reextract` and `tracker search`. Append-only.",
        "columns": {
            "sha256": "sha256 of the text's UTF-8 bytes (article.ingested's text_sha256).",
            "text": "The text as ingested.",
        },
    },
    "projection_timeline": {
        "description": "Read model: one row per happening; reports of the same act from "
        "several articles are one entry.",
        "columns": {
            "negotiation": "Negotiation id.",
            "date": "Day of the happening ('' when undated).",
            "rank": "Order within the day (valid time), for paging the timeline.",
            "first_position": "Log position of the first report.",
            "id": "negotiation/first event id, as `tracker timeline` shows it (the same in "
            "every copy of the log).",
            "type": "Event type.",
            "actor": "Acting party.",
            "target": "Party it is aimed at.",
            "modality": "asserted, planned, predicted, conditional or negated.",
            "sources": "Independent sources (outlets) that told it.",
            "source_names": "Their names (JSON list).",
            "articles": "Articles that told it (JSON list).",
            "positions": "Every report's log position (JSON list).",
            "last_position": "Log position of the latest report.",
            "match_key": "Type, actor, target and modality: which reports may merge.",
        },
    },
    "projection_checkpoints": {
        "description": "How far into the log each read model has folded.",
        "columns": {
            "name": "Read model.",
            "position": "Last log position folded.",
            "updated_at": "When (UTC).",
        },
    },
    "feeds": {
        "description": "Read model: subscribed RSS/Atom feeds and their poll state.",
        "columns": {
            "feed_id": "Feed id (hash of the URL it was subscribed with).",
            "url": "Feed URL or local path.",
            "negotiation": "Negotiation its articles go to, if set.",
            "every_s": "Poll interval in seconds.",
            "full_text": "1: each entry's page is fetched for its full text.",
            "status": "active, failing, gone or removed.",
            "subscribed_at": "When subscribed (UTC).",
            "last_poll_at": "Last poll recorded in the log.",
            "last_checked_at": "Last poll of any kind, 304 included.",
            "last_status": "HTTP status of the last poll.",
            "last_error": "Last error, one line.",
            "last_warning": "Last warning (a malformed but readable feed).",
            "failures": "Failures in a row.",
            "retry_at": "Next retry after a failure (UTC).",
            "etag": "ETag for the next conditional GET.",
            "last_modified": "Last-Modified for the next conditional GET.",
            "entries_seen": "Entries ingested from it.",
        },
    },
    "feed_entries": {
        "description": "Every dedup key (guid:, link:, sha256:) of every entry ingested.",
        "columns": {
            "key": "The dedup key.",
            "article_id": "The article it was stored as.",
            "feed_id": "The feed it came from first.",
            "seen_at": "When (UTC).",
        },
    },
    "feed_checkpoint": {
        "description": "How far into the log the feed tables have folded.",
        "columns": {"id": "Always 1.", "position": "Last log position folded."},
    },
    "schema_migrations": {
        "description": "The migrations applied to this file (migrations/NNNN_*.sql).",
        "columns": {
            "version": "Migration number.",
            "name": "Its name.",
            "applied_at": "When (UTC).",
        },
    },
}


def metadata(store: SQLiteEventStore, database: str) -> dict[str, Any]:
    """The metadata document; `database` is the name Datasette gives the file (its stem)."""
    db = store.db
    tables: dict[str, Any] = {}
    for name in sorted(db.table_names() + db.view_names()):
        if name.startswith(("sqlite_", "_")) or name.endswith(("_fts", "_content", "_config")):
            continue  # internal tables (SQLite's, FTS shadows)
        known = TABLES.get(name, {})
        present = [c.name for c in db[name].columns]
        entry: dict[str, Any] = {k: v for k, v in known.items() if k != "columns"}
        described = known.get("columns", {})
        entry["columns"] = {c: described[c] for c in present if c in described}
        tables[name] = entry
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "databases": {database: {"tables": tables}},
    }

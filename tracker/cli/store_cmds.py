"""Commands on the log itself: init, add, list, retract, correct, verify, schema."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from tracker.cli.common import (
    DEFAULT_DB,
    UNREGISTERED_NOTE,
    DbOption,
    OutputFormat,
    app,
    choice,
    emit,
    parse_date,
    recorder_for,
    say,
    starred,
)
from tracker.errors import TrackerError, UsageError
from tracker.events import (
    EVENT_CLASSES,
    NEGOTIATION_CLASSES,
    NEGOTIATION_TYPES,
    Evidence,
    Modality,
    Term,
)
from tracker.query import EventFilter, list_events
from tracker.slugs import negotiation_id
from tracker.store import access, is_url
from tracker.store import grant as grant_role
from tracker.store.chain import GENESIS

MODALITIES = [m.value for m in Modality]
LIST_COLUMNS = ("#", "id", "type", "actor → target", "modality", "date", "article")


@app.command()
def init(
    grant: Annotated[
        list[str] | None,
        typer.Option(
            "--grant",
            metavar="ROLE",
            help="PostgreSQL: let ROLE append and read, never UPDATE or DELETE the log "
            "(run as the tables' owner; repeat for more roles).",
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Create the store, or bring its schema up to date.

    Examples: tracker init --db talks.db;
    tracker init --db postgresql://admin@db/talks --grant tracker_app
    """
    if grant and not is_url(db):
        raise UsageError("--grant is for a PostgreSQL store; a SQLite file's rights are the files'")
    with recorder_for(db) as store:
        for role in grant or ():
            grant_role(store, role)
            say(f"{role} may now append to and read the store, never change the log")
        say(f"store ready at {store.path} ({store.head()} events)")


@app.command()
def add(
    type_: Annotated[str, typer.Argument(metavar="TYPE", help="Event type, e.g. proposal.made.")],
    actor: Annotated[str, typer.Option(help="Canonical actor, e.g. Israel.")],
    evidence: Annotated[str, typer.Option(help="The sentence that states the event.")],
    negotiation: Annotated[str, typer.Option(help="Negotiation id, e.g. israel-hamas-ceasefire.")],
    target: Annotated[str | None, typer.Option(help="Party the event is aimed at.")] = None,
    via: Annotated[list[str] | None, typer.Option(help="Mediator (repeatable).")] = None,
    location: Annotated[str | None, typer.Option(help="Place, e.g. Cairo.")] = None,
    modality: Annotated[str, typer.Option(help=f"One of: {', '.join(MODALITIES)}.")] = "asserted",
    condition: Annotated[str | None, typer.Option(help="For conditional events.")] = None,
    attribution: Annotated[str | None, typer.Option(help="Who says so.")] = None,
    terms: Annotated[list[str] | None, typer.Option(help="A term (repeatable).")] = None,
    occurred: Annotated[str | None, typer.Option(help="Date of the event, YYYY-MM-DD.")] = None,
    source: Annotated[str | None, typer.Option(help="URL of the source.")] = None,
    create: Annotated[
        bool, typer.Option("--create", help="Start the negotiation if the store lacks it.")
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Add an analyst's event by hand. The same event added twice is stored once.

    Example: tracker add proposal.made --actor Israel --target Hamas --via Egypt
    --negotiation israel-hamas-ceasefire --evidence "Israel proposed a deal through Egypt."
    """
    cls = NEGOTIATION_CLASSES[choice(type_, NEGOTIATION_TYPES, "type")]
    event = cls.model_validate(
        {
            "type": type_,
            "actor": _required(actor, "--actor"),
            "target": target,
            "via": tuple(v.strip() for v in via or () if v.strip()),
            "location": location,
            "modality": choice(modality, MODALITIES, "modality"),
            "condition": condition,
            "attribution": attribution,
            "terms": tuple(Term(text=t) for t in terms or () if t.strip()),
            "evidence": (
                Evidence(text=_required(evidence, "--evidence"), start=0, end=len(evidence)),
            ),
            "negotiations": (negotiation_id(negotiation.strip(), "--negotiation"),),
            "occurred": parse_date(occurred, "--occurred"),
            "source_url": source,
        }
    )
    from tracker.services import add_event  # here: it loads the projections, which list needs not
    from tracker.userdata import require_negotiation  # here: the registry, which list needs not

    with recorder_for(db) as store:
        require_negotiation(store, event.negotiations[0], create)
        result = add_event(store, event)
    if result.replayed:
        say(f"already stored at position {result.positions[0]}; nothing added")
    else:
        say(f"added {type_} at position {result.positions[0]}")


def _required(value: str, option: str) -> str:
    if not value.strip():
        raise UsageError(f"{option} must not be empty")
    return value.strip()


@app.command("list")
def list_(
    type_: Annotated[
        list[str] | None, typer.Option("--type", help="Event type (repeatable).")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Canonical actor.")] = None,
    negotiation: Annotated[str | None, typer.Option(help="Negotiation id.")] = None,
    modality: Annotated[str | None, typer.Option(help=f"One of: {', '.join(MODALITIES)}.")] = None,
    since: Annotated[str | None, typer.Option(help="Events dated on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Events dated on or before YYYY-MM-DD.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many events.")] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="table for people, json or csv for scripts.")
    ] = OutputFormat.table,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    extractor: Annotated[
        bool,
        typer.Option("--extractor", help="Table: the extractor version in place of the date."),
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """List stored events in log order, with retractions and corrections shown.

    Examples: tracker list --type proposal.made --since 2024-04-01;
    tracker list --actor Hamas --format json
    """
    for t in type_ or ():
        choice(t, list(EVENT_CLASSES), "type")
    if modality is not None:
        choice(modality, MODALITIES, "modality")
    where = EventFilter(
        types=tuple(type_ or ()),
        actor=actor,
        negotiation=negotiation,
        modality=modality,
        since=parse_date(since, "--since"),
        until=parse_date(until, "--until"),
        limit=limit,
    )
    with recorder_for(db, create=False, write=False) as store:
        rows = list(list_events(store, where))
    if fmt is OutputFormat.csv and not as_json:
        from tracker.export.csv_rows import render_csv  # here: the export loads for CSV only

        sys.stdout.write(render_csv(rows))  # the export's columns, writer and formula guard
        return
    columns: tuple[str, ...] = LIST_COLUMNS
    unknown = any(row.get("unregistered") for row in rows)
    if fmt is OutputFormat.table and not as_json:
        rows = [{**_table_row(row), "extractor": row.get("extractor") or ""} for row in rows]
        if extractor:  # in place of the date, so the table still fits 80 columns
            columns = (*LIST_COLUMNS[:-2], "extractor", LIST_COLUMNS[-1])
        if not any(row["article"] for row in rows):
            columns = columns[:-1]  # no article among them: no empty column
    emit(rows, OutputFormat.json if as_json else fmt, columns)
    if fmt is OutputFormat.table and not as_json and unknown:
        say(UNREGISTERED_NOTE)


def _table_row(row: dict[str, Any]) -> dict[str, Any]:
    """Six narrow columns so the table reads in 80 columns, and an article's id and title
    (one long token and a line of text: under the row when it does not fit); JSON and CSV
    keep every field."""
    article = row["type"] == "article.ingested"
    amended = (row.get("event_id") or "")[:8]  # a retraction's or correction's event, as `id`
    unknown = row.get("unregistered") or ()
    who = "" if article else starred(row.get("actor"), unknown) or amended
    if row.get("target"):
        who += f" → {starred(row['target'], unknown)}"
    how = row.get("modality") or ""
    if row["state"]:
        how = f"{how} ({row['state']})".strip()
    return {
        "#": row["position"],
        "id": row["id"][:8],
        "type": row["type"],
        "actor → target": who,
        "modality": how,
        "date": row.get("date"),
        "article": " — ".join(filter(None, (row["article_id"], row.get("title"))))
        if article
        else "",
    }


@app.command()
def retract(
    event_id: Annotated[str, typer.Argument(help="Event id, or a unique prefix of it.")],
    reason: Annotated[str, typer.Option(help="Why the event is withdrawn.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Retract an event. The log keeps it; projections drop it.

    Example: tracker retract 3f2a9c41d0b2 --reason "the report was denied the next day"
    """
    from tracker.services import retract_event

    with recorder_for(db, create=False) as store:
        full_id = _resolve(store.match_ids(event_id), event_id)
        result = retract_event(store, full_id, _required(reason, "--reason"))
    say(f"retracted {full_id} (position {result.positions[0]})")


@app.command()
def correct(
    event_id: Annotated[str, typer.Argument(help="Event id, or a unique prefix of it.")],
    set_: Annotated[list[str], typer.Option("--set", help="FIELD=VALUE to change (repeatable).")],
    reason: Annotated[str, typer.Option(help="Why the event is amended.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Correct fields of an event by appending a correction. The original stays in the log.

    Example: tracker correct 3f2a9c41d0b2 --set modality=predicted --reason "misread the cue"
    """
    changes: dict[str, Any] = {}
    for item in set_:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set takes FIELD=VALUE, got {item!r}")
        changes[name.strip()] = _value(value)
    from tracker.services import correct_event

    with recorder_for(db, create=False) as store:
        full_id = _resolve(store.match_ids(event_id), event_id)
        result = correct_event(store, full_id, changes, _required(reason, "--reason"))
    say(f"corrected {full_id} (position {result.positions[0]})")


def _value(text: str) -> Any:
    """JSON where it parses (lists, numbers, null), else the plain string."""
    try:
        return json.loads(text)
    except ValueError:
        return text
    except RecursionError:
        raise UsageError("--set value is nested too deeply") from None


def _resolve(matches: list[str], prefix: str) -> str:
    if len(prefix) < 6:
        raise UsageError("give at least 6 characters of the event id")
    if not matches:
        raise TrackerError(f"no event with id {prefix!r}")
    if len(matches) > 1:
        raise UsageError(f"event id prefix {prefix!r} is ambiguous; give more characters")
    return matches[0]


@app.command()
def verify(
    expect: Annotated[
        str | None,
        typer.Option(
            metavar="POSITION:HASH",
            help="A head printed earlier by `tracker head`: prove the log still extends it.",
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Walk the hash chain of the whole log, run SQLite's integrity check and check the
    append-only triggers; exit 1 and name the first problem. A store that fails refuses writes
    until it passes again. Works on a read-only store.

    Examples: tracker verify --db talks.db; tracker verify --expect 11:a9e14c75fd52327f...
    """
    anchor = _anchor(expect) if expect is not None else None
    with recorder_for(db, create=False, write=False) as store:
        report = store.verify()
        problems = store.integrity()
        found = store.hash_at(anchor[0]) if anchor else None
        read_only = store.read_only
    problem = None
    if not report.ok:
        problem = (
            f"log broken at position {report.first_broken}: {report.problem} "
            f"({report.checked} events before it verified)"
        )
    elif problems:
        problem = "; ".join(problems)
    if not read_only and not is_url(db):  # the note that refuses writes sits beside a file
        access.record_verdict(Path(db), problem)
    if problem is not None:
        raise TrackerError(problem)
    if anchor is not None:
        position, expected = anchor
        if found is None:
            raise TrackerError(
                f"the log ends at position {report.checked}, before the expected head "
                f"{position}: events were cut from its end"
            )
        if not found.startswith(expected):
            raise TrackerError(
                f"position {position} has hash {found[:16]}, not the expected {expected[:16]}: "
                "the log was rewritten since that head was taken"
            )
    extends = f", extends {anchor[0]}:{anchor[1][:16]}" if anchor else ""
    say(
        f"ok: {report.checked} events, chain intact, database intact{extends}, "
        f"head {report.head_hash[:16]}"
    )


def _anchor(text: str) -> tuple[int, str]:
    position, sep, digest = text.strip().partition(":")
    digest = digest.lower()
    if (
        not sep
        or not position.isdigit()
        or len(digest) < 16
        or any(c not in "0123456789abcdef" for c in digest)
    ):
        raise UsageError(
            f"--expect takes POSITION:HASH as `tracker head` prints it (at least 16 hex "
            f"digits), got {text!r}"
        )
    return int(position), digest


@app.command()
def head(db: DbOption = DEFAULT_DB) -> None:
    """Print the log's head as POSITION:HASH. Keep it somewhere else (a note, a ticket, the
    exported snapshot, which carries it too): `tracker verify --expect POSITION:HASH` later
    proves that the log still extends it, so cutting or rewriting the log is caught.

    Example: tracker head --db talks.db
    """
    with recorder_for(db, create=False, write=False) as store:
        position = store.head()
        digest = store.hash_at(position) if position else GENESIS
    sys.stdout.write(f"{position}:{digest}\n")


@app.command()
def schema(
    check: Annotated[bool, typer.Option(help="Only report stale schemas (exit 1).")] = False,
) -> None:
    """Regenerate the JSON Schemas in events/schema/ from the event models.

    Example: tracker schema --check
    """
    from tracker import schema as schemas  # here: it loads the export models too

    if check:
        stale = schemas.stale()
        if stale:
            raise TrackerError(f"stale schemas: {', '.join(stale)}; run `tracker schema`")
        say("schemas are up to date")
        return
    changed = schemas.write()
    count = len(schemas.generate())
    say(f"wrote {count} schemas to {schemas.schema_dir()} ({len(changed)} changed)")

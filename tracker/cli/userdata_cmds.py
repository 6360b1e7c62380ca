"""Commands on the user's own data: negotiations defined in the store, re-extraction of the
stored articles, and full-text search over them."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from tracker import slugs
from tracker.cli.common import (
    DEFAULT_DB,
    DbOption,
    OutputFormat,
    app,
    emit,
    parse_date,
    say,
)
from tracker.cli.common import recorder_for as open_db
from tracker.definitions import NegotiationDef, did_you_mean
from tracker.errors import UsageError
from tracker.extract import DEFAULT as EXTRACTOR
from tracker.reextract import reextract as run_reextract
from tracker.search import search as run_search
from tracker.userdata import define_negotiation, negotiations, require_negotiation

negotiations_app = typer.Typer(
    help="Negotiations: the seeds' defaults and your own, kept in the store.",
    no_args_is_help=True,
)
app.add_typer(negotiations_app, name="negotiations")

Listed = Annotated[list[str] | None, typer.Option()]


@negotiations_app.command("add")
def negotiations_add(
    negotiation_id: Annotated[
        str, typer.Argument(metavar="ID", help="A slug: lowercase letters, digits, hyphens.")
    ],
    title: Annotated[str, typer.Option(help="What it is, in words.")] = "",
    party: Annotated[list[str] | None, typer.Option(help="A party (repeatable).")] = None,
    mediator: Annotated[list[str] | None, typer.Option(help="A mediator (repeatable).")] = None,
    keyword: Annotated[
        list[str] | None, typer.Option(help="A word that routes articles to it (repeatable).")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Define a negotiation, or extend one (a seed's too): a new title replaces the old,
    parties, mediators and keywords are added. Stored as an event in the log.

    Example: tracker negotiations add norland-vestria-trade --title "Norland-Vestria trade
    talks" --party Norland --party Vestria --keyword tariff --keyword "trade deal"
    """
    slugs.negotiation_id(negotiation_id, "negotiation id")
    new = NegotiationDef(
        negotiation_id,
        title.strip(),
        _clean(party, "--party"),
        _clean(mediator, "--mediator"),
        _clean(keyword, "--keyword"),
    )
    with open_db(db) as store:
        now, result = define_negotiation(store, new)
    if result is None:
        say(f"{negotiation_id}: nothing new; the store already has this definition")
        return
    say(f"{negotiation_id}: defined at position {result.positions[0]} ({_describe(now)})")
    if not now.keywords or len(now.parties) < 2:
        say(
            "  articles are routed to it when they name a keyword and two parties; until then, "
            f"use `tracker ingest --negotiation {negotiation_id}` or a .meta.json"
        )


@negotiations_app.command("list")
def negotiations_list(
    format_: Annotated[
        OutputFormat, typer.Option("--format", help="table, json or csv.")
    ] = OutputFormat.table,
    db: DbOption = DEFAULT_DB,
) -> None:
    """List every negotiation: the seeds', the store's, and any the log names.

    Example: tracker negotiations list --format json
    """
    with open_db(db, create=False, write=False) as store:
        found = negotiations(store)
    rows = [{**n.as_entry(), "from": origin} for n, origin in found]
    emit(rows, format_, ("id", "title", "parties", "from"))


@negotiations_app.command("show")
def negotiations_show(
    negotiation_id: Annotated[str, typer.Argument(metavar="ID", help="Negotiation id.")],
    format_: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show one negotiation's definition.

    Example: tracker negotiations show israel-hamas-ceasefire
    """
    if format_ not in ("text", "json"):
        raise UsageError(f"unknown format {format_!r}; valid: text, json")
    with open_db(db, create=False, write=False) as store:
        found = {n.id: (n, origin) for n, origin in negotiations(store)}
    if negotiation_id not in found:
        hint = did_you_mean(negotiation_id, list(found))
        raise UsageError(f"unknown negotiation {negotiation_id!r}{hint}")
    definition, origin = found[negotiation_id]
    entry = {**definition.as_entry(), "from": origin}
    if format_ == "json":
        sys.stdout.write(json.dumps(entry, indent=2, ensure_ascii=False) + "\n")
        return
    for key in ("id", "title", "parties", "mediators", "keywords", "from"):
        value = entry[key]
        print(f"{key + ':':<11}{', '.join(value) if isinstance(value, list) else value}")


@app.command()
def reextract(
    negotiation: Annotated[
        str | None, typer.Argument(metavar="NEGOTIATION", help="Only this negotiation.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only articles published on or after YYYY-MM-DD.")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Run the current extractor over the stored articles and append the difference: events
    no longer found are retracted ("superseded by extractor X"), new ones appended. After
    `tracker actors add` or `tracker negotiations add`, this is how missed events come in.

    Example: tracker reextract norland-vestria-trade --since 2025-03-01
    """
    if negotiation is not None:
        slugs.negotiation_id(negotiation)
    day = parse_date(since, "--since")
    with open_db(db, create=False) as store:
        if negotiation is not None:  # a typo is "did you mean", not "0 articles"
            require_negotiation(store, negotiation)
        results = run_reextract(store, negotiation, day, EXTRACTOR)
    added = sum(r.added for r in results)
    retracted = sum(r.retracted for r in results)
    for r in results:
        if r.skipped:
            say(f"{r.article_id}: skipped: {r.skipped}")
        elif r.added or r.retracted:
            where = ", ".join(r.negotiations) or "no negotiation"
            say(f"{r.article_id}: {r.added} added, {r.retracted} retracted ({where})")
        if r.kept_corrected:
            say(f"{r.article_id}: {r.kept_corrected} no longer found but corrected by hand; kept")
    say(
        f"extractor {EXTRACTOR.version}: {len(results)} article(s), "
        f"{added} event(s) added, {retracted} retracted"
    )


@app.command()
def search(
    query: Annotated[
        str, typer.Argument(help='Words, a "phrase", or FTS5 syntax (strike AND vote, walk*).')
    ],
    negotiation: Annotated[str | None, typer.Option(help="Only this negotiation.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many hits.")] = 20,
    format_: Annotated[
        OutputFormat, typer.Option("--format", help="table, json or csv.")
    ] = OutputFormat.table,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Full-text search over the stored articles and the evidence of their events (retracted
    events are not found).

    Example: tracker search "walk off" --negotiation norland-vestria-trade
    """
    if negotiation is not None:
        slugs.negotiation_id(negotiation, "--negotiation")
    with open_db(db, create=False) as store:
        if negotiation is not None:
            require_negotiation(store, negotiation)
        hits = run_search(store, query, negotiation, limit)
    if not hits:
        say(f"nothing found for {query!r}")
        return
    emit([h.as_dict() for h in hits], format_, ("kind", "article_id", "title", "snippet"))


def _clean(values: list[str] | None, option: str) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(v.strip() for v in values or ()))
    if any(not v for v in cleaned):
        raise UsageError(f"{option} must not be empty")
    return cleaned


def _describe(definition: NegotiationDef) -> str:
    parts = [f"parties: {', '.join(definition.parties) or 'none'}"]
    if definition.mediators:
        parts.append(f"mediators: {', '.join(definition.mediators)}")
    parts.append(f"keywords: {', '.join(definition.keywords) or 'none'}")
    return "; ".join(parts)

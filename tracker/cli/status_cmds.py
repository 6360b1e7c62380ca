"""Commands on the projections: status, timeline, diff, rebuild."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from tracker.cli.common import DEFAULT_DB, DbOption, app, console, parse_date, recorder_for, say
from tracker.defaults import RECENT
from tracker.errors import TrackerError, UsageError
from tracker.projections import current
from tracker.projections.brief import brief, diff, visible_steps
from tracker.projections.history import facts_at, parse_known_at, status_at, timeline_at
from tracker.store.base import EventStore

if TYPE_CHECKING:
    from tracker.projections.timeline import Entry


class BriefFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"


NegotiationArg = Annotated[
    str | None,
    typer.Argument(
        metavar="[NEGOTIATION]", help="Negotiation id; optional when the store has only one."
    ),
]
NegotiationOpt = Annotated[
    str | None, typer.Option("--negotiation", help="Negotiation id (same as the argument).")
]
FormatOpt = Annotated[
    BriefFormat, typer.Option("--format", help="text (a brief), md, or json for scripts.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Same as --format json.")]


def _format(fmt: BriefFormat, as_json: bool) -> BriefFormat:
    return BriefFormat.json if as_json else fmt


def _chosen(store: EventStore, positional: str | None, option: str | None) -> list[str]:
    """The negotiations to show: the one named, else every one in the store."""
    if positional and option and positional != option:
        raise UsageError(f"two negotiations given ({positional!r} and {option!r}); give one")
    name = positional or option
    known = current.negotiations(store)
    if name is not None:
        if name not in known:
            listed = ", ".join(known) if known else "none yet"
            raise TrackerError(f"no negotiation {name!r} in the store (known: {listed})")
        return [name]
    if not known:
        raise TrackerError("the store holds no negotiation events yet; ingest an article first")
    return known


def _one_for_json(names: list[str], fmt: BriefFormat, hint: str = "") -> None:
    """JSON is one document: it needs one negotiation named when the store holds several."""
    if fmt is BriefFormat.json and len(names) > 1:
        raise UsageError(
            f"the store holds {len(names)} negotiations ({', '.join(names)}); choose one{hint}"
        )


def _open(db: str) -> EventStore:
    store = recorder_for(db, create=False, write=False)
    if current.up_to_date(store):
        return store  # nothing to fold: the fold is not even imported
    from tracker.projections import readmodel

    backlog = store.head() - readmodel.checkpoint(store)
    if backlog > 20_000:
        say(f"folding {backlog:,} events into the read models first…")
    readmodel.catch_up(store)  # fold what was appended since the last command
    return store


def _print(lines: list[str]) -> None:
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)  # pre-wrapped


def _json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


@app.command()
def status(
    negotiation: NegotiationArg = None,
    negotiation_opt: NegotiationOpt = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Valid time YYYY-MM-DD: what had happened by that day."),
    ] = None,
    known_at: Annotated[
        str | None,
        typer.Option(
            "--known-at", help="Record time YYYY-MM-DD[THH:MM]: what the store knew then (UTC)."
        ),
    ] = None,
    fmt: FormatOpt = BriefFormat.text,
    as_json: JsonOpt = False,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all", help="The overview of every negotiation, also when the store holds one."
        ),
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """The deal status: phase, proposals and responses, demands, threats, next steps,
    positions, expectations, and the last change with its source. With no negotiation named
    and several in the store (or with --all): today's overview, one block per negotiation
    (phase, last change, open threats, next step, sources), as on the export's index page.

    Examples: tracker status israel-hamas-ceasefire;
    tracker status --negotiation israel-hamas-ceasefire --as-of 2024-05-06 --json;
    tracker status --known-at 2024-05-01T12:00 --format md; tracker status --all --json
    """
    day = parse_date(as_of, "--as-of")
    known = parse_known_at(known_at)
    fmt = _format(fmt, as_json)
    with _open(db) as store:
        names = _chosen(store, negotiation, negotiation_opt)
        several_now = len(names) > 1 and fmt is BriefFormat.text and not (day or known)
        if show_all or several_now:
            if negotiation or negotiation_opt:
                raise UsageError("--all shows every negotiation; use it without naming one")
            if day or known:
                raise UsageError("--all shows today's overview; leave out --as-of/--known-at")
            _overview(store, fmt)
            return
        _one_for_json(names, fmt, ": tracker status NEGOTIATION --json")
        today = day or date.today()
        for i, name in enumerate(names):
            shown = status_at(store, name, day, known)
            if shown is None:
                raise TrackerError(f"nothing was known about {name!r} then")
            if fmt is BriefFormat.json:
                from tracker.documents import status_document  # the JSON documents load here

                _json(status_document(shown, today, day, known))
                continue
            if i:
                console.print()
            if fmt is BriefFormat.md:
                from tracker.export.build import citations
                from tracker.export.markdown import status_markdown

                view = shown.view(next_steps=visible_steps(shown, today))
                cites = citations(view, facts_at(store, name, day, known))
                _print(status_markdown(view, cites, day, known).splitlines())
            else:
                _print(brief(shown, today, console.width))
            if day or known:
                when = " and ".join(
                    part
                    for part in (day and f"as of {day}", known and f"as known at {known}")
                    if part
                )
                say(f"({when})")


def _overview(store: EventStore, fmt: BriefFormat) -> None:
    # here: the overview is the export's, and `status NEGOTIATION` needs none of the export
    from tracker.export.build import build_overview
    from tracker.export.markdown import overview_markdown
    from tracker.export.overview import overview_lines

    rows = build_overview(store, date.today())
    if fmt is BriefFormat.json:
        _json([row.model_dump(mode="json") for row in rows])
    elif fmt is BriefFormat.md:
        _print(overview_markdown(rows).splitlines())
    else:
        _print(overview_lines(rows, console.width))


@app.command()
def timeline(
    negotiation: NegotiationArg = None,
    negotiation_opt: NegotiationOpt = None,
    since: Annotated[str | None, typer.Option(help="Entries on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Entries on or before YYYY-MM-DD.")] = None,
    known_at: Annotated[
        str | None, typer.Option("--known-at", help="Record time: what the store knew then.")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", help="Show the last N entries (the most recent).")
    ] = RECENT,
    show_all: Annotated[
        bool, typer.Option("--all", help="The whole history, read and printed a page at a time.")
    ] = False,
    fmt: FormatOpt = BriefFormat.text,
    as_json: JsonOpt = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """The timeline: one entry per happening, with how many independent sources told it and
    each evidence line. The last 100 entries by default; --limit N, --since DAY or --all for
    the rest.

    Examples: tracker timeline israel-hamas-ceasefire --since 2024-05-01;
    tracker timeline --format md --limit 20; tracker timeline israel-hamas-ceasefire --all --json
    """
    start, end = parse_date(since, "--since"), parse_date(until, "--until")
    known = parse_known_at(known_at)
    if limit < 1:
        raise UsageError(f"--limit must be at least 1, got {limit}; --all shows every entry")
    fmt = _format(fmt, as_json)
    with _open(db) as store:
        names = _chosen(store, negotiation, negotiation_opt)
        _one_for_json(names, fmt)
        for name in names:
            if show_all and known is None:
                from tracker.projections.timeline_table import timeline_pages

                _print_pages(name, timeline_pages(store, name, start, end), fmt)
                continue
            entries = timeline_at(store, name, start, end, known, None if show_all else limit)
            if fmt is BriefFormat.json:
                from tracker.documents import timeline_document

                _json(timeline_document(entries))
            elif fmt is BriefFormat.md:
                from tracker.export.markdown import timeline_markdown

                _print(timeline_markdown(name, entries).splitlines())
            else:
                console.print(_timeline_table(name, entries))
            if not show_all and len(entries) == limit:
                say(f"{name}: the last {limit} entries; --limit N or --all for more")


def _print_pages(name: str, pages: Iterator[list[Entry]], fmt: BriefFormat) -> None:
    """The whole timeline as it is read, a page at a time (memory flat in history)."""
    write = sys.stdout.write
    if fmt is BriefFormat.json:
        first = True
        write("[")
        for page in pages:
            for e in page:
                text = json.dumps(e.model_dump(mode="json"), ensure_ascii=False)
                write(("\n  " if first else ",\n  ") + text)
                first = False
        write("\n]\n" if not first else "]\n")
        return
    if fmt is BriefFormat.md:
        from tracker.export.markdown import timeline_markdown

        _print(timeline_markdown(name, []).splitlines())
        for page in pages:
            _print(timeline_markdown(name, page, heading=False).splitlines())
        return
    console.print(f"{name}: timeline", markup=False, highlight=False)
    for page in pages:
        for e in page:
            quote = e.evidence[0].text if e.evidence else ""
            _print([f"{_when(e)}  {e.summary} [{e.modality}] ({e.sources} source(s))"])
            _print([f"    “{quote}”"] if quote else [])


def _when(entry: Entry) -> str:
    return entry.date.isoformat() if entry.date else "undated"


def _timeline_table(name: str, entries: list[Entry]) -> Table:
    table = Table(title=f"{name}: {len(entries)} entries", title_justify="left", pad_edge=False)
    table.add_column("date", no_wrap=True)
    table.add_column("what happened", overflow="fold")
    table.add_column("as", no_wrap=True)
    table.add_column("sources", justify="right")
    for e in entries:
        quote = e.evidence[0].text if e.evidence else ""
        table.add_row(_when(e), f"{e.summary}\n  “{quote}”", e.modality, str(e.sources))
    return table


@app.command("diff")
def diff_(
    negotiation: NegotiationArg = None,
    since: Annotated[
        str | None, typer.Option(help="Compare the status as of this day with now.")
    ] = None,
    negotiation_opt: NegotiationOpt = None,
    fmt: FormatOpt = BriefFormat.text,
    as_json: JsonOpt = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """What changed in the status since a day, line by line (- gone, + new).

    Example: tracker diff israel-hamas-ceasefire --since 2024-05-01
    """
    if since is None:
        raise UsageError("--since DATE is required, e.g. tracker diff --since 2024-05-01")
    day = parse_date(since, "--since")
    assert day is not None  # since is given
    fmt = _format(fmt, as_json)
    with _open(db) as store:
        names = _chosen(store, negotiation, negotiation_opt)
        _one_for_json(names, fmt)
        for name in names:
            now = status_at(store, name)
            assert now is not None  # _chosen only names negotiations in the read model
            before = status_at(store, name, as_of=day)
            if fmt is BriefFormat.json:
                from tracker.documents import diff_document

                _json(diff_document(store, name, day, before, now, date.today()))
                continue
            before = before if before is not None else type(now)(negotiation=name)
            changed = diff(before, now, date.today())
            console.print(f"{name}: changes since {since}", markup=False, highlight=False)
            _print(changed or ["  (no change)"])


@app.command()
def rebuild(db: DbOption = DEFAULT_DB) -> None:
    """Empty the read models (status, timeline) and replay the whole log into them.

    Example: tracker rebuild --db talks.db
    """
    from tracker.projections import readmodel

    with recorder_for(db, create=False) as store:
        started = time.perf_counter()
        folded = readmodel.rebuild(store)
        took = time.perf_counter() - started
        count = len(current.negotiations(store))
    say(f"rebuilt from {folded} events: {count} negotiation(s) in {took:.2f} s")

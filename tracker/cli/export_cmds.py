"""`tracker export`: a negotiation's status snapshot as JSON, Markdown, HTML or CSV."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.common import (
    DEFAULT_DB,
    DbOption,
    app,
    choice,
    parse_date,
    recorder_for,
    say,
)
from tracker.defaults import RECENT
from tracker.errors import TrackerError, UsageError
from tracker.export import FORMATS


@app.command()
def export(
    negotiation: Annotated[
        str | None,
        typer.Argument(help="Negotiation id; may be left out when the store holds only one."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)} (default md)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            help="Write every format into DIR as <negotiation>.<ext> (every negotiation"
            " unless one is named, then also DIR/index.html listing them).",
            file_okay=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Status as of YYYY-MM-DD (what had happened by then).")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", help="Timeline: the last N entries (the most recent).")
    ] = RECENT,
    show_all: Annotated[bool, typer.Option("--all", help="Timeline: every entry.")] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export the status and timeline of a negotiation to hand on.

    JSON follows events/schema/snapshot.json; Markdown is a brief to paste; HTML is one
    self-contained page (no script, no network) for a phone or a printer; CSV has one row per
    event with every field. The timeline holds its last 100 entries unless --limit or --all.

    Examples: tracker export israel-hamas-ceasefire --format html -o status.html;
    tracker export --format json --as-of 2024-05-01;
    tracker export israel-hamas-ceasefire --out-dir out
    """
    if out_dir is not None and (output is not None or fmt is not None):
        raise UsageError("--out-dir writes every format; use it without --format and -o")
    fmt = choice(fmt or "md", list(FORMATS), "format")
    from tracker.export.build import known_negotiations
    from tracker.export.formats import export_text, write_all, write_atomic, write_index

    cut = parse_date(as_of, "--as-of")
    if limit < 1:
        raise UsageError(f"--limit must be at least 1, got {limit}; --all exports every entry")
    entries = None if show_all else limit
    with recorder_for(db, create=False, write=False) as store:
        known = known_negotiations(store)
        if out_dir is not None:
            # every format; and every negotiation unless one is named
            names = [_negotiation(negotiation, known)] if negotiation or len(known) < 2 else known
            for each in names:
                try:
                    paths = write_all(store, each, out_dir, cut, limit=entries)
                except OSError as exc:
                    raise TrackerError(f"cannot write into {out_dir}: {exc.strerror}") from None
                for path in paths:
                    sys.stdout.write(f"{path.suffix.lstrip('.'):5} {path}\n")
            if negotiation is None and cut is None:  # the index: today's, of every page
                try:
                    index = write_index(store, out_dir)
                except OSError as exc:
                    raise TrackerError(f"cannot write into {out_dir}: {exc.strerror}") from None
                sys.stdout.write(f"index {index}\n")
            return
        name = _negotiation(negotiation, known)
        text = export_text(store, fmt, name, cut, limit=entries)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_atomic(output, text)
    except OSError as exc:
        raise TrackerError(f"cannot write {output}: {exc.strerror}") from None
    say(f"wrote {fmt} snapshot of {name} to {output}")


def _negotiation(given: str | None, known: list[str]) -> str:
    if given is not None:
        if given not in known:
            listed = ", ".join(known) or "none"
            raise TrackerError(f"no negotiation {given!r} in the store; known: {listed}")
        return given
    if len(known) == 1:
        return known[0]
    if not known:
        raise TrackerError("the store holds no negotiation yet; ingest an article first")
    raise UsageError(f"name a negotiation: {', '.join(known)}")

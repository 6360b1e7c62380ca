"""Commands for feeds: feeds add/list/remove, poll (once), run (the scheduler)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tracker.cli.common import (
    DEFAULT_DB,
    DbOption,
    OutputFormat,
    app,
    emit,
    err_console,
    recorder_for,
    say,
)
from tracker.errors import TrackerError
from tracker.feeds import (
    PollOptions,
    PollReport,
    catch_up,
    feeds,
    find_feed,
    parse_every,
    poll_feed,
    remove,
    resolve_source,
    subscribe,
)
from tracker.feeds.model import DEFAULT_EVERY_S, Feed, format_every
from tracker.feeds.poll import DEFAULT_JOBS
from tracker.feeds.workers import auto_processes, poll_in_processes
from tracker.http import DEFAULT_TIMEOUT_S
from tracker.store import EventStore, is_url

feeds_app = typer.Typer(
    name="feeds",
    help="Subscribe to RSS/Atom feeds, list them, remove them.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(feeds_app, name="feeds")

TimeoutOption = Annotated[float, typer.Option(min=0.1, help="Seconds allowed per fetch.")]
LIST_COLUMNS = ("url", "status", "every", "last_poll", "entries", "failures", "last_error")


@feeds_app.command("add")
def add_feed(
    source: Annotated[str, typer.Argument(metavar="URL_OR_PATH", help="http(s) URL or a file.")],
    negotiation: Annotated[
        str | None, typer.Option(help="Negotiation the feed follows, e.g. gaza-ceasefire.")
    ] = None,
    every: Annotated[str, typer.Option(help="Poll interval: 30s, 15m, 1h, 1h30m.")] = (
        format_every(DEFAULT_EVERY_S)
    ),
    full_text: Annotated[
        bool,
        typer.Option("--full-text", help="Fetch each entry's page when the feed has summaries."),
    ] = False,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Subscribe to a feed and poll it once (one fetch: it checks the feed and ingests it).

    Examples: tracker feeds add https://example.org/news.rss --every 15m
    --negotiation gaza-ceasefire; tracker feeds add seeds/feed.xml
    """
    url = resolve_source(source)
    seconds = parse_every(every)
    with recorder_for(db) as store:
        feed = subscribe(store, url, every_s=seconds, negotiation=negotiation, full_text=full_text)
        say(f"subscribed to {feed.url} (every {format_every(seconds)})")
        report = poll_feed(store, feed, PollOptions(timeout=timeout))
    say(report.line())
    if report.outcome in ("failed", "gone"):
        say("the subscription is kept; it will be retried with backoff (`tracker feeds remove`)")


@feeds_app.command("list")
def list_feeds(
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="table for people, json or csv for scripts.")
    ] = OutputFormat.table,
    all_: Annotated[bool, typer.Option("--all", help="Include removed feeds.")] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """List subscribed feeds: last poll, status, entries seen, last error.

    Example: tracker feeds list --format json
    """
    with recorder_for(db, create=False) as store:
        catch_up(store)
        rows = [
            {
                "url": f.url,
                "status": f.status,
                "every": format_every(f.every_s),
                "negotiation": f.negotiation,
                "full_text": f.full_text,
                "last_poll": _when(f.last_checked_at or f.last_poll_at),
                "last_status": f.last_status,
                "entries": f.entries_seen,
                "failures": f.failures,
                "retry_at": _when(f.retry_at),
                "last_error": f.last_error,
                "last_warning": f.last_warning,
                "id": f.feed_id,
            }
            for f in feeds(store, include_removed=all_)
        ]
    if fmt is OutputFormat.table and not rows:
        say("no feeds; add one with `tracker feeds add URL`")
        return
    emit(rows, fmt, LIST_COLUMNS)


@feeds_app.command("remove")
def remove_feed(
    url: Annotated[str, typer.Argument(help="The feed's URL (or path, as listed).")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Stop polling a feed. Its articles, and the entries it has seen, stay.

    Example: tracker feeds remove https://example.org/news.rss
    """
    with recorder_for(db, create=False) as store:
        catch_up(store)
        found = _find(store, url)
        feed = remove(store, found.url if found else url)
    say(f"removed {feed.url}")


@app.command()
def poll(
    feed: Annotated[str | None, typer.Option(help="Poll only this feed (URL or path).")] = None,
    jobs: Annotated[int, typer.Option(min=1, max=64, help="Feeds polled at once.")] = DEFAULT_JOBS,
    processes: Annotated[
        int, typer.Option(min=0, max=64, help="Worker processes; 0 picks by feeds and cores.")
    ] = 0,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    force: Annotated[bool, typer.Option(help="Poll feeds that are backing off, too.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Poll every subscribed feed once (or one feed) and ingest the new entries.
    Exits 1 when a feed failed.

    Examples: tracker poll; tracker poll --feed https://example.org/news.rss --json
    """
    with recorder_for(db, create=False) as store:
        catch_up(store)
        if feed is not None:
            found = _find(store, feed)
            if found is None or found.status == "removed":
                raise TrackerError(f"no subscribed feed {feed}; see `tracker feeds list`")
            targets = [found]
        else:
            targets = [f for f in feeds(store) if f.pollable]
    if not targets:
        say("no feeds to poll; add one with `tracker feeds add URL`")
        return
    reports: list[PollReport] = []
    options = PollOptions(timeout=timeout, force=force or feed is not None)
    with Progress(
        TextColumn("polling"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,  # else rich leaves a blank line on a redirected stderr
    ) as progress:
        task = progress.add_task("", total=len(targets))

        def done(report: PollReport) -> None:
            reports.append(report)
            progress.update(task, advance=1, description=report.url[-60:])

        poll_in_processes(
            db,
            [f.feed_id for f in targets],
            processes=processes or auto_processes(len(targets)),
            jobs=jobs,
            options=options,
            on_done=done,
        )
    errors = [r for r in reports if r.outcome in ("failed", "gone")]
    summary = {
        "feeds": len(reports),
        "new_articles": sum(r.new_articles for r in reports),
        "new_events": sum(r.new_events for r in reports),
        "errors": len(errors),
        "waiting": sum(r.outcome == "waiting" for r in reports),
        "polled_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    for report in sorted(reports, key=lambda r: r.url):
        if report.outcome in ("failed", "gone") or report.warning or len(reports) <= 20:
            say(report.line())
    if as_json:
        sys.stdout.write(json.dumps(summary) + "\n")
    say(
        f"polled {summary['feeds']} feeds: {summary['new_articles']} new articles, "
        f"{summary['new_events']} new events, {summary['errors']} errors"
        + (f", {summary['waiting']} backing off" if summary["waiting"] else "")
    )
    if errors:
        raise typer.Exit(1)


@app.command()
def run(
    jobs: Annotated[int, typer.Option(min=1, max=64, help="Feeds polled at once.")] = 4,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    rescan: Annotated[
        float, typer.Option(min=0.1, help="Seconds between re-reads of the feed list.")
    ] = 5.0,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Run the scheduler: poll each feed at its interval until SIGINT or SIGTERM, which let the
    poll in hand finish. One scheduler per store; feeds added meanwhile are picked up.

    Example: tracker run --db talks.db
    """
    from tracker.scheduler import run_scheduler

    if is_url(db):
        recorder_for(db, create=False).close()  # a store must be there, as for a file
    elif not Path(db).exists():
        raise TrackerError(f"no store at {db}; run `tracker init --db {db}` first")
    run_scheduler(db, jobs=jobs, timeout=timeout, sync_every=rescan)


def _find(store: EventStore, text: str) -> Feed | None:
    """By URL, id or path as listed; local feeds are stored by absolute path, so also by the
    path as typed (relative, with ~, or to a file deleted since)."""
    found = find_feed(store, text)
    if (found is None or found.status == "removed") and not text.startswith(
        ("http://", "https://")
    ):
        found = find_feed(store, str(Path(text).expanduser().resolve())) or found
    return found


def _when(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if value else None

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
    Quiet,
    app,
    emit,
    err_console,
    recorder_for,
    say,
)
from tracker.errors import TrackerError, UsageError
from tracker.feeds import (
    PollOptions,
    PollReport,
    catch_up,
    feeds,
    find_feed,
    parse_every,
    remove,
    resolve_source,
)
from tracker.feeds.add import add_feed as add
from tracker.feeds.model import DEFAULT_EVERY_S, Feed, format_every
from tracker.feeds.poll import DEFAULT_JOBS
from tracker.feeds.workers import auto_processes, poll_in_processes
from tracker.http import DEFAULT_TIMEOUT_S, MAX_TIMEOUT_S, MIN_TIMEOUT_S, check_timeout
from tracker.notify.notifier import ATTEMPTS, BACKOFF_S
from tracker.slugs import negotiation_id
from tracker.store import EventStore, is_url
from tracker.userdata import require_negotiation

feeds_app = typer.Typer(
    name="feeds",
    help="Subscribe to RSS/Atom feeds, list them, remove them.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(feeds_app, name="feeds")


def _timeout(value: float) -> float:
    try:
        return check_timeout(value)
    except UsageError as exc:
        raise typer.BadParameter(str(exc).removeprefix("--timeout ")) from None


TimeoutOption = Annotated[
    float,
    typer.Option(
        callback=_timeout,
        help=f"Seconds allowed per fetch, all of it (from {MIN_TIMEOUT_S:g} to {MAX_TIMEOUT_S:g}).",
    ),
]
LIST_COLUMNS = ("url", "status", "every", "last_poll", "entries", "failures", "last_error")
FEED_FIELDS = (
    "url", "status", "every", "negotiation", "full_text", "last_poll", "last_status", "entries",
    "failures", "retry_at", "last_error", "last_warning", "id",
)  # fmt: skip


@feeds_app.command("add")
def add_feed(
    source: Annotated[str, typer.Argument(metavar="URL_OR_PATH", help="http(s) URL or a file.")],
    negotiation: Annotated[
        str | None, typer.Option(help="Negotiation the feed follows, e.g. israel-hamas-ceasefire.")
    ] = None,
    create: Annotated[
        bool, typer.Option("--create", help="Start the negotiation if the store lacks it.")
    ] = False,
    every: Annotated[str, typer.Option(help="Poll interval: 30s, 15m, 1h, 1h30m.")] = (
        format_every(DEFAULT_EVERY_S)
    ),
    full_text: Annotated[
        bool,
        typer.Option("--full-text", help="Fetch each entry's page when the feed has summaries."),
    ] = False,
    trust_links: Annotated[
        bool,
        typer.Option(
            "--trust-links",
            help="Let --full-text fetch entry links on loopback or private addresses.",
        ),
    ] = False,
    timeout: TimeoutOption = DEFAULT_TIMEOUT_S,
    force: Annotated[
        bool,
        typer.Option("--force", help="Subscribe even if the feed cannot be fetched or read now."),
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Check a feed with one fetch, subscribe to it and ingest what that fetch brought. A feed
    that cannot be reached or read is refused with the reason, unless --force.

    Examples: tracker feeds add https://example.org/news.rss --every 15m
    --negotiation israel-hamas-ceasefire; tracker feeds add seeds/feed.xml
    """
    url = resolve_source(source)
    seconds = parse_every(every)
    if negotiation is not None:
        negotiation_id(negotiation, "--negotiation")  # before the store is touched
    with recorder_for(db) as store:
        if negotiation is not None:  # a typo is "did you mean", as ingest says it
            require_negotiation(store, negotiation, create)
        feed, report = add(
            store, url, every_s=seconds, negotiation=negotiation, full_text=full_text,
            trust_links=trust_links, options=PollOptions(timeout=timeout), force=force,
        )  # fmt: skip
        say(f"subscribed to {feed.url} (every {format_every(seconds)})")
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
    with recorder_for(db, create=False, write=False) as store:
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
    emit(rows, fmt, LIST_COLUMNS, FEED_FIELDS)


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
        # off a terminal rich would leave a blank line on stderr
        disable=Quiet.on or not err_console.is_terminal,
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
        "failed": [{"url": r.url, "error": r.error} for r in sorted(errors, key=lambda r: r.url)],
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
    notify: Annotated[
        str | None,
        typer.Option(
            metavar="URL|COMMAND",
            help="After a poll that changed a status: POST the change as JSON to this URL, or"
            " run this command with it on stdin.",
        ),
    ] = None,
    notify_attempts: Annotated[
        int, typer.Option(min=1, max=20, help="Tries per alert before giving up.")
    ] = ATTEMPTS,
    notify_backoff: Annotated[
        float, typer.Option(min=0.0, help="Seconds before the first retry; doubled after each.")
    ] = BACKOFF_S,
    export_dir: Annotated[
        Path | None,
        typer.Option(
            "--export-dir",
            file_okay=False,
            help="Keep every format of each negotiation and an index.html here, rewritten"
            " atomically after each change.",
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Run the scheduler: poll each feed at its interval until SIGINT or SIGTERM, which let the
    poll in hand finish. One scheduler per store; feeds added meanwhile are picked up.

    Examples: tracker run --db talks.db;
    tracker run --notify https://hooks.example.org/talks --export-dir site;
    tracker run --notify 'mail -s "talks changed" me@example.org'
    """
    from tracker.notify.deliver import parse_target
    from tracker.scheduler import run_scheduler

    if is_url(db):
        if notify is not None or export_dir is not None:
            raise UsageError(
                "--notify and --export-dir need a SQLite store for now (they read the status); "
                "on PostgreSQL `tracker run` polls the feeds"
            )
        recorder_for(db, create=False).close()  # a store must be there, as for a file
    elif not Path(db).exists():
        raise TrackerError(f"no store at {db}; run `tracker init --db {db}` first")
    target = parse_target(notify) if notify is not None else None
    if export_dir is not None:
        try:
            export_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TrackerError(f"cannot use --export-dir {export_dir}: {exc.strerror}") from None
    run_scheduler(
        db,
        jobs=jobs,
        timeout=timeout,
        sync_every=rescan,
        notify=target,
        export_dir=export_dir,
        notify_attempts=notify_attempts,
        notify_backoff_s=notify_backoff,
        quiet=Quiet.on,
    )


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

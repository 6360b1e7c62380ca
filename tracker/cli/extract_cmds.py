"""Commands that read articles: extract, ingest, eval, and the actor registry."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import tomli_w
import typer

from tracker.cli.common import (
    DEFAULT_DB,
    DbOption,
    OutputFormat,
    app,
    emit,
    parse_date,
    recorder_for,
    say,
)
from tracker.errors import TrackerError, UsageError
from tracker.extract import extract_article
from tracker.extract.registry import load_registry, read_registry, user_actors_path
from tracker.extract.scoring import Report, score_article, to_gold
from tracker.services import ingest_article
from tracker.sources import load_article

EXTRACT_COLUMNS = (
    "type",
    "actor",
    "target",
    "via",
    "location",
    "modality",
    "condition",
    "evidence",
)
ARTICLE_SUFFIXES = (".json", ".txt", ".html", ".htm")

actors_app = typer.Typer(
    help="The actor registry: canonical names, aliases, demonyms.", no_args_is_help=True
)
app.add_typer(actors_app, name="actors")


@app.command()
def extract(
    source: Annotated[
        str, typer.Argument(metavar="FILE_OR_URL", help="Article JSON, text, HTML or URL.")
    ],
    format_: Annotated[
        str, typer.Option("--format", help="json (gold format) or table.")
    ] = "table",
    published: Annotated[str | None, typer.Option(help="Published date YYYY-MM-DD.")] = None,
) -> None:
    """Print the events an article states; stores nothing.

    Example: tracker extract seeds/000_46a520fc1d27543f.txt --format json
    """
    if format_ not in ("json", "table"):
        raise UsageError(f"unknown format {format_!r}; valid: json, table")
    article = load_article(source, parse_date(published, "--published"))
    extraction = extract_article(article)
    if format_ == "json":
        out = {
            "id": article.id,
            "negotiations": list(extraction.negotiations),
            "events": [to_gold(e) for e in extraction.events],
        }
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
        return
    if not extraction.events:
        say(f"no events found in {source}")
        return
    rows = []
    for event in extraction.events:
        row: dict[str, Any] = event.model_dump(mode="json")
        row["evidence"] = " | ".join(e.text for e in event.evidence)
        row["actor"] = f"{event.actor} ({event.person})" if event.person else event.actor
        rows.append(row)
    emit(rows, OutputFormat.table, EXTRACT_COLUMNS)
    say(f"{len(rows)} events; negotiations: {', '.join(extraction.negotiations) or 'none matched'}")


@app.command()
def ingest(
    sources: Annotated[
        list[str], typer.Argument(metavar="FILE_OR_URL...", help="Articles to store.")
    ],
    published: Annotated[
        str | None, typer.Option(help="Published date YYYY-MM-DD for all.")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Extract and store articles, one transaction each; an article already stored adds nothing.

    Example: tracker ingest seeds/000_46a520fc1d27543f.txt --db talks.db
    """
    when = parse_date(published, "--published")
    failures = 0
    with recorder_for(db) as store:
        for source in sources:
            try:
                article = load_article(source, when)
                result = ingest_article(store, article)
            except TrackerError as exc:
                if len(sources) == 1:
                    raise
                failures += 1
                print(f"error: {exc}", file=sys.stderr)
                continue
            if result.already:
                say(f"{article.id}: already ingested; nothing added")
            else:
                routed = ", ".join(result.negotiations) or "no negotiation matched"
                say(f"{article.id}: {result.events} events added ({routed})")
    if failures:
        raise TrackerError(f"{failures} of {len(sources)} articles could not be read")


@app.command("eval")
def eval_(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold JSON files, one per article.")],
    articles_dir: Annotated[
        Path, typer.Argument(help="Folder of the articles (JSON, text, HTML).")
    ],
    format_: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List misses and extras.")
    ] = False,
) -> None:
    """Score extraction against gold: P/R/F1 overall and per type, modality and target
    accuracy on matched pairs, and a STRICT row (target when the gold has one, and modality).

    Example: tracker eval tests/gold/events tests/gold/articles
    """
    if format_ not in ("json", "table"):
        raise UsageError(f"unknown format {format_!r}; valid: table, json")
    report = evaluate(gold_dir, articles_dir)
    if format_ == "json":
        sys.stdout.write(json.dumps(report.as_dict(), indent=2) + "\n")
    else:
        data = report.as_dict()
        rows = [{"type": t, **v} for t, v in data["per_type"].items()]
        rows.append({"type": "OVERALL", **data["overall"]})
        rows.append({"type": "STRICT", **data["strict"]})
        emit(
            rows,
            OutputFormat.table,
            (
                "type",
                "gold",
                "predicted",
                "matched",
                "precision",
                "recall",
                "f1",
                "modality_accuracy",
                "target_accuracy",
            ),
        )
    if verbose:
        for article_id, g in report.misses:
            say(f"miss  {article_id}: {g['type']} {g.get('actor')} [{g.get('modality')}]")
        for article_id, p in report.extras:
            say(f"extra {article_id}: {p['type']} {p.get('actor')} [{p.get('modality')}]")
        for article_id, g, got in report.modality_errors:
            wanted = g.get("modality")
            say(f"modality {article_id}: {g['type']} {g.get('actor')} gold {wanted}, got {got}")
        for article_id, g, target in report.target_errors:
            say(
                f"target {article_id}: {g['type']} {g.get('actor')} "
                f"gold {g.get('target')}, got {target}"
            )


def evaluate(gold_dir: Path, articles_dir: Path) -> Report:
    for folder in (gold_dir, articles_dir):
        if not folder.is_dir():
            raise UsageError(f"{folder}: not a folder")
    articles: dict[str, Path] = {}
    for path in sorted(articles_dir.iterdir()):
        if path.suffix.lower() in ARTICLE_SUFFIXES and not path.name.endswith(".meta.json"):
            articles.setdefault(path.stem, path)
    report = Report()
    golds = sorted(gold_dir.glob("*.json"))
    if not golds:
        raise UsageError(f"{gold_dir}: no gold JSON files")
    for gold_path in golds:
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise TrackerError(f"{gold_path}: unreadable gold ({exc})") from None
        events = gold.get("events", []) if isinstance(gold, dict) else None
        if not isinstance(events, list) or not all(
            isinstance(e, dict) and isinstance(e.get("type"), str) for e in events
        ):
            raise TrackerError(
                f'{gold_path}: gold must be an object whose "events" are objects with a "type"'
            )
        article_id = str(gold.get("id") or gold_path.stem)
        found = articles.get(article_id) or articles.get(gold_path.stem)
        if found is None:
            raise TrackerError(f"{gold_path}: no article {article_id!r} in {articles_dir}")
        extraction = extract_article(load_article(str(found)))
        score_article(report, article_id, events, [to_gold(e) for e in extraction.events])
    return report


@actors_app.command("list")
def actors_list(
    format_: Annotated[
        OutputFormat, typer.Option("--format", help="table, json or csv.")
    ] = OutputFormat.table,
) -> None:
    """List the registry: seeds/actors.toml plus your own file.

    Example: tracker actors list --format json
    """
    registry = load_registry()
    rows = [
        {
            "name": a.name,
            "kind": a.kind,
            "for": a.speaks_for,
            "aliases": list(a.aliases),
            "demonyms": list(a.demonyms),
        }
        for a in registry.actors.values()
    ]
    emit(rows, format_, ("name", "kind", "for", "aliases", "demonyms"))


@actors_app.command("add")
def actors_add(
    name: Annotated[
        str, typer.Argument(help="Canonical name, e.g. 'Hezbollah' or 'Ali Larijani'.")
    ],
    kind: Annotated[str, typer.Option(help="state, organisation or person.")] = "organisation",
    alias: Annotated[list[str] | None, typer.Option(help="Another name (repeatable).")] = None,
    demonym: Annotated[
        list[str] | None, typer.Option(help="Adjective, e.g. 'Lebanese' (repeatable).")
    ] = None,
    for_: Annotated[
        str | None, typer.Option("--for", help="For a person: the actor they speak for.")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            help="Registry file to write (default TRACKER_ACTORS or ~/.config/tracker/actors.toml)."
        ),
    ] = None,
) -> None:
    """Add an actor (or more aliases to one) in your own registry file, read after the seeds.

    Example: tracker actors add "Ali Larijani" --kind person --for Iran --alias Larijani
    """
    if kind not in ("state", "organisation", "person"):
        raise UsageError(f"unknown kind {kind!r}; valid: state, organisation, person")
    if kind == "person" and not for_:
        raise UsageError("a person needs --for, the actor they speak for")
    if not name.strip():
        raise UsageError("the name must not be empty")
    target: Path = file if file is not None else user_actors_path()
    if target.is_dir():
        raise UsageError(f"{target}: a folder; the registry is a TOML file")
    data = read_registry(target) if target.is_file() else {}
    entries: list[dict[str, Any]] = data.setdefault("actors", [])
    entry = next((e for e in entries if e.get("name") == name), None)
    if entry is None:
        entry = {"name": name, "kind": kind}
        entries.append(entry)
    if for_:
        entry["for"] = for_
    for key, values in (("aliases", alias), ("demonyms", demonym)):
        merged = list(dict.fromkeys([*entry.get(key, []), *(values or [])]))
        if merged:
            entry[key] = merged
    tmp = target.with_suffix(".tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
        tmp.replace(target)  # whole or not at all
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise TrackerError(f"{target}: could not write ({exc.strerror or exc})") from None
    say(f"{name} ({kind}) saved in {target}")

"""Commands that read articles: extract, ingest, eval, and the actor registry.

Extraction (and its parser model) is imported inside the commands that run it, so that
`tracker extract --help` and the other commands of this module start without it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import tomli_w
import typer

from tracker.article import MAX_ARTICLE_CHARS
from tracker.cli.common import (
    DEFAULT_DB,
    UNREGISTERED_NOTE,
    DbOption,
    OutputFormat,
    app,
    emit,
    parse_date,
    recorder_for,
    say,
    starred,
)
from tracker.definitions import ACTOR_KINDS, ActorDef, Definitions
from tracker.errors import TrackerError, UsageError
from tracker.slugs import negotiation_id
from tracker.sources import load_article
from tracker.store import is_url
from tracker.userdata import define_actor, load_definitions, require_negotiation

if TYPE_CHECKING:  # the extractor (and its parser) loads only in the commands that read text
    from tracker.extract.registry import Registry
    from tracker.extract.scoring import Report

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
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="TRACKER_DB",
            help="A store whose actors and negotiations to use, as ingest does (read only; "
            f"default ./{DEFAULT_DB} if it exists, else the seeds only).",
        ),
    ] = None,
) -> None:
    """Print the events an article states; stores nothing. The actors and negotiations are
    the seeds' and, when there is a store, the ones defined in it, as `tracker ingest` uses.

    Example: tracker extract seeds/000_46a520fc1d27543f.txt --format json
    """
    if format_ not in ("json", "table"):
        raise UsageError(f"unknown format {format_!r}; valid: json, table")

    from tracker.extract import definitions_in_use, extract_article
    from tracker.extract.scoring import to_gold

    article = load_article(source, parse_date(published, "--published"))
    with definitions_in_use(_store_definitions(db)):
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
        actor = starred(event.actor, event.unregistered)
        row["actor"] = f"{actor} ({event.person})" if event.person else actor
        row["target"] = starred(event.target, event.unregistered)
        row["via"] = [starred(v, event.unregistered) for v in event.via]
        rows.append(row)
    emit(rows, OutputFormat.table, EXTRACT_COLUMNS)
    if any(event.unregistered for event in extraction.events):
        say(UNREGISTERED_NOTE)
    negotiations = ", ".join(extraction.negotiations) or "none matched"
    say(f"{len(extraction.events)} events; negotiations: {negotiations}")


def _store_definitions(db: str | None) -> Definitions:
    """The definitions of the store named by --db/TRACKER_DB (which must exist), else of
    ./tracker.db if there is one, else none: extract never creates or writes a store."""
    if db is None and not Path(DEFAULT_DB).exists():
        return Definitions()
    with recorder_for(db or DEFAULT_DB, create=False, write=False) as store:
        return load_definitions(store)


@app.command()
def ingest(
    sources: Annotated[
        list[str], typer.Argument(metavar="FILE_OR_URL...", help="Articles to store.")
    ],
    published: Annotated[
        str | None, typer.Option(help="Published date YYYY-MM-DD for all.")
    ] = None,
    negotiation: Annotated[
        str | None,
        typer.Option(help="The negotiation they are about (else a .meta.json's, else routing)."),
    ] = None,
    create: Annotated[
        bool, typer.Option("--create", help="Start the negotiation if the store lacks it.")
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Extract and store articles, one transaction each; an article already stored adds nothing.

    Examples: tracker ingest seeds/000_46a520fc1d27543f.txt --db talks.db;
    tracker ingest talks/*.txt --negotiation norland-vestria-trade
    """
    from tracker.services import ingest_article

    when = parse_date(published, "--published")
    if negotiation is not None:
        negotiation_id(negotiation, "--negotiation")
    failures = 0
    with recorder_for(db) as store:
        for source in sources:
            try:
                article = load_article(source, when)
                assigned = negotiation or article.negotiation
                if assigned:
                    require_negotiation(store, assigned, create)
                    article = article.model_copy(update={"negotiation": assigned})
                result = ingest_article(store, article)
            except TrackerError as exc:
                if len(sources) == 1:
                    raise
                failures += 1
                print(f"error: {exc}", file=sys.stderr)
                continue
            if article.cut_from is not None:
                say(
                    f"{article.id}: {article.cut_from:,} characters is over the "
                    f"{MAX_ARTICLE_CHARS:,}-character limit; cut at a paragraph boundary to "
                    f"{len(article.text):,} (recorded on the article)"
                )
            if result.already:
                say(f"{article.id}: already ingested; nothing added")
            elif result.negotiations:
                say(
                    f"{article.id}: {result.events} events added ({', '.join(result.negotiations)})"
                )
            else:
                say(
                    f"{article.id}: {result.events} events added, but to no negotiation (they "
                    "are under 'unassigned'): name one with --negotiation ID or a .meta.json, "
                    "or define it with `tracker negotiations add` and run `tracker reextract`"
                )
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
    from tracker.extract import extract_article
    from tracker.extract.scoring import Report, score_article, to_gold

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
    db: DbOption = DEFAULT_DB,
) -> None:
    """List the registry: seeds/actors.toml, your own file, and the store's actors.

    Example: tracker actors list --format json
    """
    from tracker.extract.registry import load_registry

    registry = load_registry()
    stored: tuple[ActorDef, ...] = ()
    if is_url(db) or Path(db).is_file():
        with recorder_for(db, create=False) as store:
            stored = load_definitions(store).actors
    mine = {a.name for a in stored}
    rows = [
        {
            "name": a.name,
            "kind": a.kind,
            "for": a.speaks_for,
            "aliases": list(a.aliases),
            "demonyms": list(a.demonyms),
        }
        for a in registry.actors.values()
        if a.name not in mine
    ]
    rows += [
        {
            "name": a.name,
            "kind": a.kind,
            "for": a.speaks_for,
            "aliases": list(dict.fromkeys((*_seeded(registry, a.name), *a.aliases))),
            "demonyms": list(a.demonyms),
            "from": "store",
        }
        for a in stored
    ]
    emit(rows, format_, ("name", "kind", "for", "aliases", "demonyms"))


@actors_app.command("add")
def actors_add(
    name: Annotated[
        str, typer.Argument(help="Canonical name, e.g. 'Hezbollah' or 'Ali Larijani'.")
    ],
    kind: Annotated[
        str | None,
        typer.Option(help="state, organisation or person (a new actor: organisation)."),
    ] = None,
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
            help="Write a TOML registry file instead of the store (read after the seeds when "
            "named by TRACKER_ACTORS or at ~/.config/tracker/actors.toml)."
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Add an actor (or more aliases to one) to the store, as an event in its log: the
    extractor reads it after the seeds (`tracker reextract` applies it to stored articles).

    Example: tracker actors add "Ali Larijani" --kind person --for Iran --alias Larijani
    """
    from tracker.extract import definitions_in_use
    from tracker.extract.registry import load_registry

    known = None
    if file is None and Path(str(db)).is_file():
        with (
            recorder_for(db, create=False, write=False) as store,
            definitions_in_use(load_definitions(store)),
        ):
            known = load_registry().actors.get(name.strip())
    elif file is None:
        known = load_registry().actors.get(name.strip())
    # More aliases for a known actor keep its kind and whom it speaks for; a new actor is an
    # organisation unless told otherwise.
    kind = kind or (known.kind if known else "organisation")
    for_ = for_ or (known.speaks_for if known else None)
    if kind not in ACTOR_KINDS:
        raise UsageError(f"unknown kind {kind!r}; valid: {', '.join(ACTOR_KINDS)}")
    if kind == "person" and not for_:
        raise UsageError("a person needs --for, the actor they speak for")
    if not name.strip():
        raise UsageError("the name must not be empty")
    if file is None:
        new = ActorDef(
            name.strip(),
            kind,
            for_,
            tuple(a.strip() for a in alias or () if a.strip()),
            tuple(d.strip() for d in demonym or () if d.strip()),
        )
        with recorder_for(db) as store:
            _, result = define_actor(store, new)
        if result is None:
            say(f"{name}: nothing new; the store already has this definition")
        else:
            say(f"{name} ({kind}) defined in {db} at position {result.positions[0]}")
        return
    target: Path = file
    if target.is_dir():
        raise UsageError(f"{target}: a folder; the registry is a TOML file")
    from tracker.extract.registry import read_registry

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
    say(f"{name} saved in {target}")


def _seeded(registry: Registry, name: str) -> tuple[str, ...]:
    known = registry.actors.get(name)
    return known.aliases if known else ()

"""Commands for SQL and Datasette users: the metadata that explains the store's tables."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.common import DEFAULT_DB, DbOption, app, sqlite_store_for
from tracker.datasette import metadata


@app.command("datasette-metadata")
def datasette_metadata(
    name: Annotated[
        str | None,
        typer.Option(help="Database name in Datasette (default: the file's name without .db)."),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Print Datasette metadata (JSON) describing every table, view and column of the store.

    Example: tracker datasette-metadata > metadata.json && datasette tracker.db -m metadata.json
    """
    with sqlite_store_for(db, create=False) as store:
        document = metadata(store, name or Path(db).stem)
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")

"""`tracker serve`: the read-only local dashboard. Its server libraries are imported only
when the command runs, so other commands do not pay for them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.common import DEFAULT_DB, DbOption, app


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; loopback (127.0.0.1) by default.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port (0: any free one).")] = 8080,
    db: DbOption = DEFAULT_DB,
) -> None:
    """A read-only dashboard in the browser: the index of negotiations, each one's status,
    visual timeline and events (filters by party, type, modality and date; an as-of day), and
    a JSON API: /api/negotiations, /api/negotiations/NEG/status|timeline|diff. New events
    show on the next request; nothing is ever written to the store.

    Examples: tracker serve; tracker serve --port 9000 --db talks.db
    """
    from tracker.serve.run import serve as run
    from tracker.store import is_url

    run(db if is_url(db) else Path(db), host, port)

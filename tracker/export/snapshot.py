"""The snapshot: one negotiation's status and timeline at a date, under a versioned schema.

This is what every export format renders. The status and the timeline are the projections'
models (tracker.projections); the snapshot only adds what a hand-off needs: when and from
which store position it was made, the articles it cites and a link for each evidence line.
events/schema/snapshot.json is generated from `Snapshot` (see tracker/export/schema.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tracker.projections.status import Line, Phase, StatusView
from tracker.projections.timeline import Entry, TimelineLine

# 2: the status as every output shows it, without the fold's bookkeeping (clock, articles_seen)
SNAPSHOT_VERSION: Literal[2] = 2
SCHEMA_ID = "https://tracker.invalid/events/snapshot.json"


class Source(BaseModel):
    """An article the snapshot cites."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    title: str = ""
    url: str | None = None
    source: str | None = None
    published: dt.date | None = None


class Citation(BaseModel):
    """Where an evidence line's event came from: its article and a link to it."""

    model_config = ConfigDict(frozen=True)

    article_id: str | None = None
    url: str | None = None


class PhasePoint(BaseModel):
    """The phase as of the end of one day of the timeline (what --as-of that day shows)."""

    model_config = ConfigDict(frozen=True)

    date: dt.date
    phase: Phase


class Snapshot(BaseModel):
    """A negotiation's status and timeline as of a date, ready to hand on."""

    model_config = ConfigDict(
        title="tracker status snapshot",
        json_schema_extra={"$id": SCHEMA_ID, "x-snapshot-version": SNAPSHOT_VERSION},
    )

    snapshot_version: Literal[2] = Field(
        SNAPSHOT_VERSION, description="Bumped when the shape of the snapshot changes."
    )
    negotiation: str = Field(description="The negotiation id, e.g. israel-hamas-ceasefire.")
    as_of: dt.date | None = Field(
        description="Valid-time cut: only what had happened by this date. None: everything."
    )
    generated_at: dt.datetime = Field(description="When the snapshot was made (UTC).")
    store_position: int = Field(ge=0, description="The last log position the snapshot read.")
    store_head: str = Field(
        default="",
        description="POSITION:HASH of the log at store_position, as `tracker head` prints it:"
        " `tracker verify --expect` proves a store still extends it.",
    )
    status: StatusView
    timeline: list[Entry]
    phases: list[PhasePoint] = Field(
        default_factory=list,
        description="The phase as of each dated day of the timeline, oldest first (the band"
        " of the visual timeline).",
    )
    sources: list[Source] = Field(description="The articles the status and timeline cite.")
    citations: dict[str, Citation] = Field(
        description="Event id -> its article and URL: the source link of each status evidence"
        " line (whose event_id is a key here)."
    )


def origin(citations: Mapping[str, Citation], line: Line | TimelineLine) -> tuple[str, str | None]:
    """The source name (the outlet's host, else the article id) and URL behind a line: a
    timeline line carries its own, a status line's event is looked up in the citations."""
    if isinstance(line, TimelineLine):
        return line.source, line.source_url
    citation = citations.get(line.event_id)
    return line.source, citation.url if citation else None

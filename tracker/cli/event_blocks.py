"""Extracted events for people, one block each, readable at any width (80 columns when
piped): the event on one line, its circumstances on the next, the evidence wrapped under it.
A table would squeeze the evidence into a one-word column."""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Iterable

from tracker.events import NegotiationEvent


def event_blocks(events: Iterable[NegotiationEvent], width: int | None = None) -> str:
    if width is None:  # piped: 80 columns; on a terminal its width, up to 100
        terminal = sys.stdout.isatty()
        width = min(shutil.get_terminal_size((80, 24)).columns, 100) if terminal else 80
    return "\n\n".join(_block(e, width) for e in events)


def _block(event: NegotiationEvent, width: int) -> str:
    actor = f"{event.actor} ({event.person})" if event.person else event.actor
    head = f"{event.type}  {actor}" + (f" -> {event.target}" if event.target else "")
    head += f"  [{event.modality.value}]"
    facts = [
        f"via {', '.join(event.via)}" if event.via else "",
        f"in {event.location}" if event.location else "",
        f"if {event.condition}" if event.condition else "",
        f"per {event.attribution}" if event.attribution else "",
        f"on {event.occurred}" if event.occurred else "",
    ]
    lines = textwrap.wrap(head, width, subsequent_indent="    ")
    said = "; ".join(f for f in facts if f)
    if said:
        lines += textwrap.wrap(said, width, initial_indent="    ", subsequent_indent="    ")
    for evidence in event.evidence:
        quoted = f'"{" ".join(evidence.text.split())}"'
        lines += textwrap.wrap(quoted, width, initial_indent="    ", subsequent_indent="     ")
    return "\n".join(lines)

"""Upcasters: turn a payload written by an older release into the current shape, on read.

Each entry maps (family, from_version) to a function giving the payload at from_version + 1.
A family is "negotiation" for every taxonomy type, else the type name itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tracker.events import EVENT_CLASSES, NEGOTIATION_TYPES

Payload = dict[str, Any]


def _negotiation_v1_to_v2(payload: Payload) -> Payload:
    # v1 kept one mediator in `via` and one evidence span; v2 keeps lists of both, so an event
    # told twice in an article carries both sentences.
    out = dict(payload)
    via = out.get("via")
    out["via"] = [] if via in (None, "") else ([via] if isinstance(via, str) else via)
    evidence = out.get("evidence")
    out["evidence"] = (
        [] if evidence is None else ([evidence] if isinstance(evidence, dict) else evidence)
    )
    return out


UPCASTERS: dict[tuple[str, int], Callable[[Payload], Payload]] = {
    ("negotiation", 1): _negotiation_v1_to_v2,
}


def family(type_: str) -> str:
    return "negotiation" if type_ in NEGOTIATION_TYPES else type_


# the version each type's current model declares (read per event: a rebuild reads a million)
CURRENT: dict[str, int] = {name: cls.schema_version for name, cls in EVENT_CLASSES.items()}


def upcast(type_: str, schema_version: int, payload: Payload) -> Payload:
    """Apply upcasters until the payload is at the version the current model declares."""
    current = CURRENT[type_]
    while schema_version < current:
        payload = UPCASTERS[(family(type_), schema_version)](payload)
        schema_version += 1
    return payload

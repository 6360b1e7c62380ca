"""The dashboard's filters: query parameters in, the timeline entries they keep out. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date

from tracker.errors import UsageError
from tracker.events import Modality
from tracker.projections.timeline import Entry

MODALITIES = tuple(m.value for m in Modality)


@dataclass(frozen=True, slots=True)
class Filters:
    """What a reader asked for: all optional; an empty field keeps everything."""

    as_of: date | None = None
    party: str = ""
    type: str = ""
    modality: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> Filters:
        """From GET parameters; a bad date or modality is a UsageError naming the field."""
        modality = query.get("modality", "").strip()
        if modality and modality not in MODALITIES:
            raise UsageError(f"unknown modality {modality!r}; valid: {', '.join(MODALITIES)}")
        return cls(
            as_of=day_param(query, "as_of"),
            party=query.get("party", "").strip(),
            type=query.get("type", "").strip(),
            modality=modality,
            since=day_param(query, "since"),
            until=day_param(query, "until"),
        )

    @property
    def narrows(self) -> bool:
        """Whether any filter other than the as-of day is set."""
        return any(getattr(self, f.name) for f in fields(self) if f.name != "as_of")

    def keep(self, entries: Iterable[Entry]) -> list[Entry]:
        party = self.party.casefold()
        return [
            e
            for e in entries
            if (not party or party in (e.actor.casefold(), (e.target or "").casefold()))
            and (not self.type or e.type == self.type)
            and (not self.modality or e.modality == self.modality)
            and (self.since is None or (e.date is not None and e.date >= self.since))
            and (self.until is None or (e.date is not None and e.date <= self.until))
        ]


def day_param(query: Mapping[str, str], name: str) -> date | None:
    value = query.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{name} must be a date YYYY-MM-DD, got {value!r}") from None

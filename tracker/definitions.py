"""Negotiations and actors the user defines: the records, and the fold of their definition
events (in log order) into the set the extractor and the commands use, read after the seeds.
No I/O: the store and the seeds file are read by callers; ids are checked by tracker.slugs."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

ACTOR_KINDS = ("state", "organisation", "person")


@dataclass(frozen=True)
class NegotiationDef:
    id: str
    title: str = ""
    parties: tuple[str, ...] = ()
    mediators: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    def merged(self, other: NegotiationDef) -> NegotiationDef:
        """A later definition extends an earlier one: a new title replaces, lists grow."""
        return replace(
            self,
            title=other.title or self.title,
            parties=_union(self.parties, other.parties),
            mediators=_union(self.mediators, other.mediators),
            keywords=_union(self.keywords, other.keywords),
        )

    def as_entry(self) -> dict[str, Any]:
        """The seeds/negotiations.toml shape, which the extractor's routing reads."""
        return {
            "id": self.id,
            "title": self.title or self.id,
            "parties": list(self.parties),
            "mediators": list(self.mediators),
            "keywords": list(self.keywords),
        }


@dataclass(frozen=True)
class ActorDef:
    name: str
    kind: str | None = None  # None: as the seed or an earlier definition has it
    speaks_for: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()

    def merged(self, other: ActorDef) -> ActorDef:
        return replace(
            self,
            kind=other.kind or self.kind,
            speaks_for=other.speaks_for or self.speaks_for,
            aliases=_union(self.aliases, other.aliases),
            demonyms=_union(self.demonyms, other.demonyms),
        )

    def as_entry(self) -> dict[str, Any]:
        """The seeds/actors.toml shape, which the extractor's registry reads."""
        entry: dict[str, Any] = {"name": self.name}
        if self.kind:
            entry["kind"] = self.kind
        if self.speaks_for:
            entry["for"] = self.speaks_for
        if self.aliases:
            entry["aliases"] = list(self.aliases)
        if self.demonyms:
            entry["demonyms"] = list(self.demonyms)
        return entry


@dataclass(frozen=True)
class Definitions:
    """What the store defines on top of the seeds. Hashable, so the extractor can cache the
    registry it compiles from one set of definitions."""

    negotiations: tuple[NegotiationDef, ...] = ()
    actors: tuple[ActorDef, ...] = ()

    def negotiation(self, negotiation_id: str) -> NegotiationDef | None:
        return next((n for n in self.negotiations if n.id == negotiation_id), None)

    def actor(self, name: str) -> ActorDef | None:
        return next((a for a in self.actors if a.name == name), None)


def fold(payloads: Iterable[tuple[str, Mapping[str, Any]]]) -> Definitions:
    """Definition events (type, payload), in log order -> the current definitions."""
    negotiations: dict[str, NegotiationDef] = {}
    actors: dict[str, ActorDef] = {}
    for type_, payload in payloads:
        if type_ == "negotiation.defined":
            new = negotiation_of(payload)
            old = negotiations.get(new.id)
            negotiations[new.id] = old.merged(new) if old else new
        elif type_ == "actor.defined":
            actor = actor_of(payload)
            known = actors.get(actor.name)
            actors[actor.name] = known.merged(actor) if known else actor
    return Definitions(tuple(negotiations.values()), tuple(actors.values()))


def negotiation_of(payload: Mapping[str, Any]) -> NegotiationDef:
    return NegotiationDef(
        id=str(payload["negotiation_id"]),
        title=str(payload.get("title") or ""),
        parties=tuple(payload.get("parties") or ()),
        mediators=tuple(payload.get("mediators") or ()),
        keywords=tuple(payload.get("keywords") or ()),
    )


def actor_of(payload: Mapping[str, Any]) -> ActorDef:
    return ActorDef(
        name=str(payload["name"]),
        kind=payload.get("kind") or None,
        speaks_for=payload.get("speaks_for"),
        aliases=tuple(payload.get("aliases") or ()),
        demonyms=tuple(payload.get("demonyms") or ()),
    )


def did_you_mean(value: str, known: Sequence[str]) -> str:
    """' (did you mean X?)' for the closest known ids, or a hint to list them."""
    close = difflib.get_close_matches(value, known, n=3, cutoff=0.6)
    if close:
        return f"; did you mean {' or '.join(close)}?"
    return "; `tracker negotiations list` shows the known ones"


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*a, *b)))

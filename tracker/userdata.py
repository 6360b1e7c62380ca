"""Use cases on the user's own data: negotiations and actors defined in the store (as events,
so a copy of the store answers as the original does), on top of the seeds' defaults."""

from __future__ import annotations

import sqlite3
import tomllib
from functools import cache

from tracker import slugs
from tracker.codec import encode
from tracker.definitions import (
    ActorDef,
    Definitions,
    NegotiationDef,
    did_you_mean,
    fold,
)
from tracker.errors import StoreError, UsageError
from tracker.events import ActorDefined, NegotiationDefined
from tracker.resources import data_dir
from tracker.store.base import AppendResult, EventStore
from tracker.store.readmodels import has_read_models, read_models

DEFINITION_TYPES = ("negotiation.defined", "actor.defined")


def load_definitions(store: EventStore) -> Definitions:
    """The store's definitions, folded in log order (an index lookup: cheap per ingest)."""
    return fold((e.type, e.payload) for e in store.read_all(types=DEFINITION_TYPES))


@cache
def seed_negotiations() -> tuple[NegotiationDef, ...]:
    """The defaults bundled in seeds/negotiations.toml."""
    with (data_dir("seeds") / "negotiations.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return tuple(
        NegotiationDef(
            id=entry["id"],
            title=entry.get("title", ""),
            parties=tuple(entry.get("parties", ())),
            mediators=tuple(entry.get("mediators", ())),
            keywords=tuple(entry.get("keywords", ())),
        )
        for entry in data.get("negotiations", [])
    )


def negotiations(store: EventStore) -> list[tuple[NegotiationDef, str]]:
    """Every negotiation the store knows, with where it comes from: seed, store (defined
    here), seed+store (a seed the store extends), or log (events name it, never defined)."""
    defined = {n.id: n for n in load_definitions(store).negotiations}
    found: list[tuple[NegotiationDef, str]] = []
    for seed in seed_negotiations():
        user = defined.pop(seed.id, None)
        found.append((seed.merged(user), "seed+store") if user else (seed, "seed"))
    found.extend((n, "store") for n in defined.values())
    named = {n.id for n, _ in found}
    found.extend((NegotiationDef(i), "log") for i in _in_read_models(store) if i not in named)
    return found


def require_negotiation(store: EventStore, negotiation_id: str, create: bool | None = None) -> str:
    """A negotiation id given by the user, refused unless the store knows it. With `create`
    an unknown one is let through: the events that name it start it (as the log then shows;
    `tracker negotiations add` gives it parties and keywords). `create=None`: the command has
    no --create, so the refusal does not offer it."""
    slugs.negotiation_id(negotiation_id, "--negotiation")
    known = [n.id for n, _ in negotiations(store)]
    if negotiation_id in known or create:
        return negotiation_id
    hint = "define it with `tracker negotiations add`"
    if create is False:
        hint = f"to start a new one, pass --create, or {hint}"
    raise UsageError(
        f"unknown negotiation {negotiation_id!r}{did_you_mean(negotiation_id, known)} ({hint})"
    )


def define_negotiation(
    store: EventStore, new: NegotiationDef
) -> tuple[NegotiationDef, AppendResult | None]:
    """Define a negotiation or extend one; returns the definition now and the append (None
    when the definition adds nothing to what is known)."""
    slugs.negotiation_id(new.id)
    known = {n.id: n for n, _ in negotiations(store)}
    before = known.get(new.id)
    after = before.merged(new) if before else new
    if before == after:
        return after, None
    event = NegotiationDefined(
        negotiation_id=new.id,
        title=new.title,
        parties=new.parties,
        mediators=new.mediators,
        keywords=new.keywords,
    )
    stream = f"negotiation-{new.id}"
    result = store.append(stream, [encode(event)], store.stream_version(stream))
    return after, result


def define_actor(store: EventStore, new: ActorDef) -> tuple[ActorDef, AppendResult | None]:
    """Define an actor or give one more aliases (a seed's too: the extractor merges them)."""
    before = load_definitions(store).actor(new.name)
    after = before.merged(new) if before else new
    if before == after:
        return after, None
    event = ActorDefined(
        name=new.name,
        kind=new.kind,
        speaks_for=new.speaks_for,
        aliases=new.aliases,
        demonyms=new.demonyms,
    )
    stream = f"actor-{new.name}"
    result = store.append(stream, [encode(event)], store.stream_version(stream))
    return after, result


def _in_read_models(store: EventStore) -> list[str]:
    """Negotiations that events name (an older store's `tracker add --negotiation X` started
    them without a definition): the status read model lists them, on either backend."""
    if not has_read_models(store):
        return []
    try:
        found = read_models(store).negotiations()
    except (StoreError, sqlite3.Error):  # a store older than its read models: none yet
        return []
    return [n for n in found if n != "unassigned"]

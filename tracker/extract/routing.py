"""Which negotiations an article is about (seeds/negotiations.toml)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

from tracker.definitions import Definitions, NegotiationDef
from tracker.userdata import seed_negotiations


@dataclass(frozen=True)
class Negotiation:
    id: str
    title: str
    parties: tuple[str, ...]
    mediators: tuple[str, ...]
    keywords: tuple[str, ...]
    keyword_re: re.Pattern[str] | None


# The store's negotiations for the extraction in hand (set by tracker.extract.definitions_in_use).
store_negotiations: ContextVar[Definitions] = ContextVar("store_negotiations")


def load_negotiations() -> tuple[Negotiation, ...]:
    """The seeds' negotiations, then the store's (one of a seed's id extends it)."""
    return _load_negotiations(store_negotiations.get(Definitions()).negotiations)


@cache
def _load_negotiations(extra: tuple[NegotiationDef, ...]) -> tuple[Negotiation, ...]:
    merged: dict[str, NegotiationDef] = {seed.id: seed for seed in seed_negotiations()}
    for user in extra:
        merged[user.id] = merged[user.id].merged(user) if user.id in merged else user
    result = []
    for entry in (n.as_entry() for n in merged.values()):
        keywords = tuple(entry.get("keywords", ()))
        pattern = (
            re.compile(
                r"(?<![\w-])(?:" + "|".join(re.escape(k) for k in keywords) + r")(?![\w])", re.I
            )
            if keywords
            else None
        )
        result.append(
            Negotiation(
                entry["id"],
                entry.get("title", entry["id"]),
                tuple(entry.get("parties", ())),
                tuple(entry.get("mediators", ())),
                keywords,
                pattern,
            )
        )
    return tuple(result)


def route(text: str, named: Mapping[str, int]) -> tuple[str, ...]:
    """Every negotiation whose keywords the text names and whose parties it mentions: two of
    its parties with one keyword or, failing any such, one party and a mediator with two
    distinct keywords. `named` counts each actor's mentions: two parties of which neither is
    among the two the story names most (China's trade and a U.S. base in a story on India
    and Mauritius) are a passing remark, not its subject."""
    actors = set(named)
    top = set(sorted(named, key=lambda a: -named[a])[:2])
    strong: list[str] = []
    weak: list[str] = []
    for negotiation in load_negotiations():
        if negotiation.keyword_re is None:
            continue
        keywords = {m.group().lower() for m in negotiation.keyword_re.finditer(text)}
        parties = actors & set(negotiation.parties)
        involved = actors & (set(negotiation.parties) | set(negotiation.mediators))
        if not keywords or not parties:
            continue
        if len(parties) >= 2 and parties & top:
            strong.append(negotiation.id)
        elif len(involved) >= 2 and len(keywords) >= 2:
            weak.append(negotiation.id)
    # One party and a mediator is a weak sign: only when no negotiation has two parties named.
    return tuple(strong or weak)


def parties_of(ids: tuple[str, ...]) -> tuple[str, ...]:
    """The parties of the negotiations, in order ("both sides" stands for them)."""
    by_id = {n.id: n for n in load_negotiations()}
    found: dict[str, None] = {}
    for i in ids:
        if i in by_id:
            found.update(dict.fromkeys(by_id[i].parties))
    return tuple(found)

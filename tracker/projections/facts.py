"""What the projections read: one negotiation event, flattened, with where it sits in the log.

A `Fact` is built straight from a stored payload (fast: a rebuild reads a million of them) or
from a domain event (tests, hand-built sequences). It knows nothing of SQLite. It is a
NamedTuple: immutable like the event it flattens, and several times cheaper to build than a
frozen dataclass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # only named here: reading facts for display needs no event models
    from tracker.events import NegotiationEvent

UNASSIGNED = "unassigned"  # negotiation of events that name none (as manual_stream does)


class Fact(NamedTuple):
    type: str
    actor: str
    target: str | None = None
    via: tuple[str, ...] = ()
    location: str | None = None
    modality: str = "asserted"
    condition: str | None = None
    attribution: str | None = None
    person: str | None = None
    terms: tuple[str, ...] = ()
    term_kinds: tuple[str, ...] = ()  # the kind of each term ("object": what it is about)
    evidence: tuple[str, ...] = ()
    negotiations: tuple[str, ...] = ()
    article_id: str | None = None
    published: date | None = None
    occurred: date | None = None
    source_url: str | None = None
    # where the event sits in the log
    position: int = 0
    event_id: str = ""
    recorded_at: str = ""
    # the independent source behind the event: the outlet's host, else the article
    source: str = "analyst"

    @property
    def valid_date(self) -> date | None:
        """When it happened (or is due), else when it was reported."""
        return self.occurred or self.published

    @property
    def known_date(self) -> date | None:
        """The valid-time date used by --as-of: what had happened, or been announced, by then.
        A plan or forecast counts from the day it was reported, not the day it is due."""
        if self.modality in ("asserted", "negated"):
            when = self.occurred or self.published
        else:
            when = self.published or self.occurred
        if when is None and self.recorded_at:
            return date.fromisoformat(self.recorded_at[:10])
        return when

    def corrected(self, changes: Mapping[str, Any]) -> Fact:
        return from_payload(
            self.type,
            {**payload_of(self), **changes},
            self.position,
            self.event_id,
            self.recorded_at,
        )


def fold_key(fact: Fact) -> str:
    """Where the fact sits in valid time: the fold's order, the same whatever order the log
    holds it in. Its known_date (an undated report: the day it was recorded, the best valid
    time there is), then its article, its place in that article (text order) and its id (a
    hand-added event: content-derived). Log positions differ from one copy of the log to
    another but are only compared within one article, whose events are appended together.
    The rebuild's SQL (log.sorted_rows) orders by the same four parts."""
    article = fact.article_id or ""
    seq = fact.position if article else 0
    return f"{iso_day(fact.known_date or date.min)}\x1f{article}\x1f{seq:012d}\x1f{fact.event_id}"


def iso_day(day: date) -> str:
    """day.isoformat(), from a cache: a few thousand days recur across a million facts, and
    isoformat costs a microsecond."""
    text = _ISO.get(day)
    if text is None:
        if len(_ISO) > 100_000:
            _ISO.clear()
        text = _ISO[day] = day.isoformat()
    return text


_ISO: dict[date, str] = {}


def by_valid_time(facts: Iterable[Fact]) -> list[Fact]:
    return sorted(facts, key=fold_key)


def from_payload(
    type_: str,
    payload: Mapping[str, Any],
    position: int = 0,
    event_id: str = "",
    recorded_at: str = "",
) -> Fact:
    """A stored (already upcast) payload -> Fact, without model validation: the store only
    holds events that were validated when they were appended. A rebuild builds a million:
    the tuple is made directly (Fact's own __new__ is a Python function of 21 arguments),
    and the dates of the few thousand days read from a cache."""
    get = payload.get
    url = get("source_url")
    article = get("article_id")
    via = get("via")
    terms = get("terms")
    evidence = get("evidence")
    negotiations = get("negotiations")
    published = get("published")
    occurred = get("occurred")
    if terms:
        texts, kinds = _terms(terms)
    else:
        texts = kinds = ()
    return _make(
        Fact,
        (
            type_,
            payload["actor"],
            get("target"),
            tuple(via) if via else (),
            get("location"),
            get("modality") or "asserted",
            get("condition"),
            get("attribution"),
            get("person"),
            texts,
            kinds,
            _texts(evidence) if evidence else (),
            tuple(negotiations) if negotiations else (),
            article,
            None if published is None else _DAYS.get(published) or _date(published),
            None if occurred is None else _DAYS.get(occurred) or _date(occurred),
            url,
            position,
            event_id,
            recorded_at,
            source_of(url, article),
        ),
    )


_make = tuple.__new__


def _terms(items: Iterable[Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The texts and kinds of a payload's terms, in one pass."""
    texts, kinds = [], []
    for item in items:
        if type(item) is dict:  # the stored shape; the checks of _text and _kind are slower
            texts.append(str(item.get("text", "")))
            kinds.append(str(item.get("kind") or "other"))
        else:
            texts.append(_text(item))
            kinds.append(_kind(item))
    return tuple(texts), tuple(kinds)


def _texts(items: Iterable[Any]) -> tuple[str, ...]:
    return tuple([str(i.get("text", "")) if type(i) is dict else _text(i) for i in items])


_HOSTS: dict[str, str] = {}  # the host of each outlet's URLs


def source_of(url: str | None, article_id: str | None) -> str:
    """The outlet's host ("reuters.com"), else the article id, else "analyst"."""
    if url:
        cut = url.find("://")
        end = url.find("/", cut + 3) if cut >= 0 else -1
        site = url if end < 0 else url[:end]  # scheme and host: one cache entry per outlet
        host = _HOSTS.get(site)
        if host is None:
            if len(_HOSTS) > 10_000:
                _HOSTS.clear()
            host = _HOSTS[site] = _host(url)
        if host:
            return host
    return article_id or "analyst"


def _host(url: str) -> str:
    if "://" in url:
        host = url.split("://", 1)[1].split("/", 1)[0].rpartition("@")[2].split(":", 1)[0]
        if host:
            return host.lower().removeprefix("www.")
    return ""


def from_event(
    event: NegotiationEvent, position: int = 0, event_id: str = "", recorded_at: str = ""
) -> Fact:
    return from_payload(event.type, event.model_dump(mode="json"), position, event_id, recorded_at)


def payload_of(fact: Fact) -> dict[str, Any]:
    return {
        "actor": fact.actor,
        "target": fact.target,
        "via": list(fact.via),
        "location": fact.location,
        "modality": fact.modality,
        "condition": fact.condition,
        "attribution": fact.attribution,
        "person": fact.person,
        "terms": [{"text": t, "kind": k} for t, k in zip(fact.terms, fact.term_kinds, strict=True)],
        "evidence": list(fact.evidence),
        "negotiations": list(fact.negotiations),
        "article_id": fact.article_id,
        "published": fact.published.isoformat() if fact.published else None,
        "occurred": fact.occurred.isoformat() if fact.occurred else None,
        "source_url": fact.source_url,
    }


def fold_case(value: str | None) -> str:
    """The comparison form of a name: two names are the same if equal ignoring case."""
    return value.casefold() if value else ""


def _text(value: Any) -> str:
    if type(value) is dict:  # the stored shape; the isinstance check below is far slower
        return str(value.get("text", ""))
    if isinstance(value, Mapping):
        return str(value.get("text", ""))
    return str(value)


def _kind(value: Any) -> str:
    if type(value) is dict or isinstance(value, Mapping):
        return str(value.get("kind") or "other")
    return "other"  # a bare string (a hand-written correction): no kind told


def objects(fact: Fact) -> tuple[str, ...]:
    """The terms that say what a position, appeal, demand or threat is about."""
    return tuple(t for t, k in zip(fact.terms, fact.term_kinds, strict=True) if k == "object")


_DAYS: dict[str, date] = {}  # the same few thousand days recur across a million events


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    day = _DAYS.get(value)
    if day is None:
        day = _DAYS[value] = date.fromisoformat(str(value)[:10])
        if len(_DAYS) > 100_000:
            _DAYS.clear()
    return day

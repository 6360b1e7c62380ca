"""Who speaks when wire copy does not name them: officials named by title only ("the foreign
minister said"), first-person quotes ("We put forward a fair offer," a spokeswoman for the
association said) and a pronoun subject ("But he warned ...") standing for the official just
named. Each becomes a mention of the party that person speaks for, so that role assignment
treats it like any named actor."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from tracker.extract.registry import Mention, Place, Registry
from tracker.extract.reporting import said

_TITLE = re.compile(
    r"(?<![\w'-])[Tt]he\s+(?:(?:federal|acting|interim|deputy|new|caretaker|outgoing)\s+)?"
    r"(?:(?:foreign|labour|labor|trade|economy|economic|finance|defence|defense|interior|"
    r"commerce|treasury|energy|water|irrigation|justice|information|health|education|"
    r"agriculture|home)\s+)?"
    r"(?:prime\s+minister|minister|secretary|president|premier|chancellor|king|emir|"
    r"foreign\s+ministry)(?![\w-])"
)
# The opening "CAIRO, Sept 9 (Wire) -" or "BRIDGETOWN, Barbados, Oct 18 (Wire) -".
_DATELINE = re.compile(r"\A\s*([A-Z][A-Z .'-]+?)(?:/[A-Z .'-]+)?,[^\n(]{0,40}\(\w[\w .]*\)\s*-")
_IN_PLACE = re.compile(r"\b(?:in|from)\s+(?:the\s+)?$")


def dateline_country(text: str, registry: Registry) -> str | None:
    m = _DATELINE.match(text)
    if not m:
        return None
    city = m.group(1).strip().title()
    place = registry.places.get(" ".join(city.split()).casefold())
    country = registry.countries.get(place or "") if place else None
    actor = registry.resolve(country or city)
    return actor.name if actor is not None and actor.kind == "state" else None


def officials(
    text: str, mentions: list[Mention], places: list[Place], registry: Registry
) -> list[Mention]:
    """ "the foreign minister", "the president": the state of a place the same sentence puts
    them in ("said in Tokyo"), else the state of the dateline. A title owned by a named
    party ("Egypt's foreign minister", "the president of Kenya") is already that party's."""
    home = dateline_country(text, registry)
    taken = [(m.start, m.end) for m in mentions]
    extra: list[Mention] = []
    for m in _TITLE.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        after = text[m.end() : m.end() + 40]
        if re.match(r"\s+of\s+(?:the\s+)?[A-Z]", after) or re.match(r"'s?\s", after):
            continue  # "the president of the National Assembly": whose is said next
        head = m.group().split()[-1].lower()
        owner = office_owner(text, [*mentions, *extra], m.start(), head)
        if owner is not None:
            # "Greece's foreign minister ... the minister said": the title's last owner.
            title = " ".join(m.group().split()[1:]).lower()
            extra.append(
                Mention(m.start(), m.end(), m.group(), owner.actor, title, owner.kind, True)
            )
            continue
        start = max(text.rfind("\n", 0, m.start()), _sentence_start(text, m.start()))
        end = _sentence_end(text, m.end())
        state = None
        for p in places:
            if start <= p.start < end and _IN_PLACE.search(text[max(0, p.start - 12) : p.start]):
                country = registry.countries.get(p.name)
                actor = registry.resolve(country or "") or registry.resolve(p.name)
                if actor is not None and actor.kind == "state":
                    state = actor.name
                    break
        state = state or home
        if state is None:
            continue
        title = " ".join(m.group().split()[1:]).lower()
        extra.append(Mention(m.start(), m.end(), m.group(), state, title, "state"))
    return sorted([*mentions, *extra], key=lambda x: x.start)


def office_owner(text: str, mentions: list[Mention], start: int, head: str) -> Mention | None:
    """The party that last owned a title or office with this head noun before `start`: "the
    union's president", "Greece's foreign minister", "Egyptian President", "a U.S. envoy"."""
    return next(office_owners(text, mentions, start, head), None)


def office_owners(text: str, mentions: list[Mention], start: int, head: str) -> Iterator[Mention]:
    """Every mention owning a title with this head noun before `start`, the latest first
    (lazily: most callers want the latest only)."""
    for m in reversed([x for x in mentions if x.end <= start and x.actor]):
        if m.kind == "parties":
            continue
        if (
            (m.person and m.person.split()[-1].lower() == head)
            or m.text.lower().endswith(head)
            or re.match(
                rf"(?:'s|')?\s+(?:[\w-]+\s+){{0,2}}?{head}\b", text[m.end : m.end + 40], re.I
            )
        ):
            yield m


def _sentence_start(text: str, pos: int) -> int:
    cut = max(text.rfind(". ", 0, pos), text.rfind('." ', 0, pos))
    return cut + 2 if cut >= 0 else 0


def _sentence_end(text: str, pos: int) -> int:
    ends = [e for e in (text.find(". ", pos), text.find("\n", pos)) if e >= 0]
    return min(ends) if ends else len(text)


_QUOTE = re.compile(r'"([^"\n]+)"')
_NEAR = 160  # characters from a quotation in which its speaker is named


@cache
def _speech() -> re.Pattern[str]:
    """'... the minister said', '... the union's president added': a reporting verb just after."""
    return re.compile(rf"\s+(?:\w+\s+){{0,3}}?(?:{said('quote_tags')})\b")


@cache
def _he_said() -> re.Pattern[str]:
    return re.compile(rf",?\s*(?:he|she)\s+(?:{said('quote_tags')})\b")


@cache
def _said_before() -> re.Pattern[str]:
    return re.compile(rf"(?:{said()})\s+$")


_FIRST_PERSON = re.compile(r"(?<![\w'-])(?:I|We|we)(?![\w'-])")


def quoted(text: str, mentions: list[Mention]) -> list[Mention]:
    """First-person subjects inside a quotation speak for the quotation's speaker: the party
    named with a reporting verb in the same paragraph ('," the union's president said')."""
    extra: list[Mention] = []
    pos = 0
    for para in text.split("\n"):
        base, pos = pos, pos + len(para) + 1
        quotes = [(base + q.start(), base + q.end()) for q in _QUOTE.finditer(para)]
        if not quotes:
            continue
        outside = [
            m
            for m in mentions
            if base <= m.start < base + len(para)
            and m.actor
            and not any(a <= m.start < b for a, b in quotes)
        ]
        said_by: Mention | None = None
        said_end = 0
        for a, b in quotes:
            # The speaker is named beside the quotation ('," the union's president said'), not
            # anywhere in a paragraph (wire copy run together is one long paragraph).
            near = [
                m
                for m in outside
                if (b <= m.start <= b + _NEAR and ". " not in text[b : m.start])
                or (a - _NEAR <= m.start < a and ". " not in text[m.end : a])
            ]
            speaker = next(
                (
                    m
                    for m in near
                    if _speech().match(text, m.end)
                    or _said_before().search(text, max(0, m.start - 16), m.start)
                ),
                None,
            )
            if speaker is None and _he_said().match(text, b):
                people = [m for m in outside if base <= m.start < a and m.person]
                speaker = people[-1] if people else None  # '," he said': the one named before
            if speaker is None and said_by is not None and a - said_end < _NEAR:
                speaker = said_by  # the same speaker quoted on: '... told reporters. "I ...'
            if speaker is None or speaker.kind == "parties":
                continue
            said_by, said_end = speaker, b
            for f in _FIRST_PERSON.finditer(text, a, b):
                extra.append(
                    Mention(
                        f.start(),
                        f.end(),
                        f.group(),
                        speaker.actor,
                        speaker.person,
                        speaker.kind,
                        True,
                    )
                )
    if not extra:
        return mentions
    return sorted([*mentions, *extra], key=lambda x: x.start)


_PRONOUN = re.compile(r"(?:^|\n|[.!?]\"?\s+)(?:(?:But|And|However,|Yet|Still,)\s+)?(He|She)\s")


def pronouns(text: str, mentions: list[Mention]) -> list[Mention]:
    """A sentence opening with "He" or "She" continues the official or person named in the
    sentence before, in the same paragraph."""
    extra: list[Mention] = []
    for m in _PRONOUN.finditer(text):
        start = m.start(1)
        para = text.rfind("\n", 0, start) + 1
        people = [x for x in mentions if para <= x.start < m.start() and x.person and x.actor]
        if not people or unnamed_person_before(text, start, mentions):
            continue
        who = people[-1]
        extra.append(Mention(start, m.end(1), m.group(1), who.actor, who.person, who.kind, True))
    if not extra:
        return mentions
    return sorted([*mentions, *extra], key=lambda x: x.start)


def unnamed_person_before(text: str, pos: int, mentions: list[Mention]) -> bool:
    """Whether the sentence before `pos` opens with a person no mention names, introduced
    as one ("Ilyas Ali Hassan, a member of the upper house, urged ... He also urged"): a
    "He" opening the next sentence is that person, not the last one named."""
    start = _sentence_start(text, max(0, _sentence_start(text, pos) - 2))
    found = _UNNAMED_OPENER.match(text, start)
    return found is not None and not any(start <= m.start < found.end() for m in mentions)


_UNNAMED_OPENER = re.compile(
    r"[A-Z][a-z][\w'-]*(?:\s+[A-Z][a-z][\w'-]*){1,3}"
    r"(?:,\s+(?:a|an|the)\s|\s+(?:said|says|told|added)\b)"
)

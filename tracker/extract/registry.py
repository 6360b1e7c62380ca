"""The actor registry and gazetteer (seeds/actors.toml plus the user's file) and the
mention finder built from them: actors, people, demonyms, anaphora and places."""

from __future__ import annotations

import os
import re
import tomllib
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from tracker.definitions import ActorDef
from tracker.errors import TrackerError
from tracker.resources import data_dir


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str  # state | organisation | person
    speaks_for: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()  # "union", "group": what an anaphor may call it


@dataclass(frozen=True)
class Mention:
    start: int  # offsets in the normalised text
    end: int
    text: str
    actor: str  # canonical actor (for a person: the actor they speak for)
    person: str | None = None
    kind: str = "state"
    anaphor: bool = False


@dataclass(frozen=True)
class Place:
    start: int
    end: int
    name: str


@dataclass
class Registry:
    actors: dict[str, Actor] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)  # casefolded alias -> place
    countries: dict[str, str] = field(default_factory=dict)  # place -> its country
    anaphora: dict[str, str] = field(default_factory=dict)  # phrase (lowercase) -> kind
    heads: list[str] = field(default_factory=list)
    _aliases: list[str] = field(default_factory=list)  # as written (matching is case-sensitive)
    _place_aliases: list[str] = field(default_factory=list)
    _alias_to_actor: dict[str, Actor] = field(default_factory=dict)
    _demonym_to_actor: dict[str, Actor] = field(default_factory=dict)
    _alias_re: re.Pattern[str] | None = None
    _demonym_re: re.Pattern[str] | None = None
    _anaphor_re: re.Pattern[str] | None = None
    _place_re: re.Pattern[str] | None = None

    def add(self, actor: Actor) -> None:
        self.actors[actor.name] = actor

    def compile(self) -> Registry:
        for actor in self.actors.values():
            for alias in (actor.name, *actor.aliases):
                self._alias_to_actor[_key(alias)] = actor
                self._aliases.append(alias)
            for demonym in actor.demonyms:
                self._demonym_to_actor[_key(demonym)] = actor
        self._alias_re = _alternation(self._aliases, possessive=True)
        # "Serbian President", "Thai acting Prime Minister": heads match in either case.
        heads = "|".join(_title_phrase(h) for h in sorted(self.heads, key=len, reverse=True))
        written = {d for actor in self.actors.values() for d in actor.demonyms}
        demonyms = "|".join(_phrase(d) for d in sorted(written, key=len, reverse=True))
        if demonyms and heads:
            self._demonym_re = re.compile(
                rf"(?<![\w-])({demonyms})(?:\s+and\s+({demonyms}))?(?:-\w+)?\s+"
                rf"(?:(?:acting|deputy|top|chief|senior|interim|caretaker|special)\s+)?"
                rf"(?:{heads})(?![\w-])"
            )
        self._anaphor_re = _alternation(list(self.anaphora), possessive=True, fold_first=True)
        self._place_re = _alternation(self._place_aliases, possessive=True)
        return self

    def resolve(self, alias: str) -> Actor | None:
        return self._alias_to_actor.get(_key(alias)) or self.actors.get(alias)

    def demonym(self, word: str) -> str | None:
        """The actor an adjective names ("Ethiopian" -> Ethiopia), if any."""
        actor = self._demonym_to_actor.get(_key(word))
        return None if actor is None else actor.speaks_for or actor.name

    def canonical(self, name: str | None) -> str | None:
        """The canonical actor a name stands for (a person resolves to whom they speak for)."""
        if not name:
            return None
        actor = self.resolve(name)
        if actor is None:
            return name
        return actor.speaks_for or actor.name

    def mentions(self, text: str) -> list[Mention]:
        """Every actor mention in order; longer matches win overlaps; anaphora resolve to the
        last actor of their kind named before them."""
        found: list[Mention] = []
        assert self._alias_re is not None
        for m in self._alias_re.finditer(text):
            actor = self._alias_to_actor.get(_key(_strip_possessive(m.group())))
            if actor is not None:
                found.append(_mention(m.start(), m.end(), m.group(), actor, self))
        if self._demonym_re is not None:
            for m in self._demonym_re.finditer(text):
                actor = self._demonym_to_actor[_key(m.group(1))]
                if m.group(2):  # "Saudi and US mediators": two parties
                    found.append(_mention(m.start(), m.end(1), m.group(1), actor, self))
                    second = self._demonym_to_actor[_key(m.group(2))]
                    found.append(
                        _mention(
                            m.start(2), m.end(), m.group()[m.start(2) - m.start() :], second, self
                        )
                    )
                else:
                    found.append(_mention(m.start(), m.end(), m.group(), actor, self))
        adhoc = _organisations(text, self) + _state_named(text, found, self)
        found.extend(adhoc)
        found.extend(self._metonyms(text))
        if self._anaphor_re is not None:
            named = [(x.start, x.end) for x in found]
            for m in self._anaphor_re.finditer(text):
                if any(a < m.end() and m.start() < b for a, b in named):
                    continue  # "the Association of ...": a name, not an anaphor
                kind = self.anaphora[_key(_strip_possessive(m.group()))]
                found.append(Mention(m.start(), m.end(), m.group(), "", None, kind, True))
        found.sort(key=lambda x: (x.start, -(x.end - x.start)))
        kept: list[Mention] = []
        last_end = -1
        for mention in found:
            if mention.start < last_end:
                continue
            kept.append(mention)
            last_end = mention.end
        resolved: list[Mention] = []
        place_ends = {p.end for p in self.places_in(text)}
        for mention in kept:
            if any(mention.start - gap in place_ends for gap in (2, 3)) and text[
                mention.start - 2 : mention.start
            ].startswith(","):
                continue  # "Cairo, Egypt": a place, not the actor Egypt
            if mention.anaphor and mention.kind == "parties":
                resolved.append(mention)  # the caller knows the negotiation's parties
                continue
            if mention.anaphor:
                antecedent = self._antecedent(mention, resolved, adhoc)
                if antecedent is None and mention.start < 300:
                    # A lede's "The union representing 1,200 workers" names it just after.
                    later = [k for k in kept if k.start > mention.end and not k.anaphor]
                    antecedent = self._antecedent(mention, later[::-1][-3:][::-1], adhoc, True)
                if antecedent is None:
                    continue
                mention = Mention(
                    mention.start, mention.end, mention.text, antecedent.actor, None,
                    mention.kind, True,
                )  # fmt: skip
            resolved.append(mention)
        return resolved

    def _antecedent(
        self, mention: Mention, before: list[Mention], adhoc: list[Mention], strict: bool = False
    ) -> Mention | None:
        """The last actor of the anaphor's kind; one whose name shares the anaphor's head noun
        ("the union" -> the last named union) wins over a nearer one."""
        named = [p for p in before if not p.anaphor and p.kind == mention.kind]
        words = set(_strip_possessive(mention.text).casefold().split()) - {"the", "a"}
        # A name's kind is in its last word ("... Nurses Association") or, head first, in
        # its first ("Association of ...", "Health New Zealand").
        nouns = {m.actor: _org_nouns(m.actor) for m in adhoc}
        # Its own name first ("the union" -> "... Workers Union"), then the nouns its kind
        # takes ("the union" -> "... Nurses Association").
        for own in (True, False):
            for candidate in reversed(named):
                actor = self.actors.get(candidate.actor)
                names: tuple[str, ...] = (candidate.actor, *(actor.aliases if actor else ()))
                if not own:
                    names = (*(actor.nouns if actor else ()), *nouns.get(candidate.actor, ()))
                if any(words & set(n.casefold().split()) for n in names):
                    return candidate
        if strict or words & _SPECIFIC:
            return None  # "the company" with no company named: nobody, not the last party
        return named[-1] if named else None

    def _metonyms(self, text: str) -> list[Mention]:
        """A capital acting stands for its state: "Beirut pressed for a withdrawal",
        "Washington urged"."""
        out: list[Mention] = []
        for place in self.places_in(text):
            actor = self.actors.get(self.countries.get(place.name, ""))
            if actor is not None and _ACTS.match(text, place.end):
                out.append(
                    _mention(place.start, place.end, text[place.start : place.end], actor, self)
                )
        return out

    def places_in(self, text: str) -> list[Place]:
        if self._place_re is None:
            return []
        return [
            Place(m.start(), m.end(), self.places[_key(_strip_possessive(m.group()))])
            for m in self._place_re.finditer(text)
        ]


# Anaphora whose noun names a kind of party: they need a party of that kind.
_SPECIFIC = {
    "union", "company", "carmaker", "planemaker", "hospital", "hospitals", "employer",
    "employers", "employers'", "district", "board", "association", "airline", "coalition",
    "opposition", "federation", "workers", "machinists", "nurses", "teachers", "bloc",
    "alliance", "lender", "fund", "watchdog", "agency", "body",
}  # fmt: skip


def _mention(start: int, end: int, text: str, actor: Actor, registry: Registry) -> Mention:
    if actor.kind == "person" and actor.speaks_for:
        party = registry.actors.get(actor.speaks_for)
        kind = party.kind if party else "state"
        return Mention(start, end, text, actor.speaks_for, actor.name, kind)
    return Mention(start, end, text, actor.name, None, actor.kind)


def _title_phrase(head: str) -> str:
    return r"\s+".join(
        f"[{w[0].upper()}{w[0].lower()}]{re.escape(w[1:])}" if w[:1].isalpha() else re.escape(w)
        for w in head.split()
    )


# --- organisations the registry does not know ---------------------------------------------

# Unions, employers and hospitals are too many to list: a capitalised name ending in one of
# these words is an organisation ("Minnesota Nurses Association", "Riverside Health System");
# the nouns are what an anaphor may call it ("the union", "the hospital system").
_ORG_NOUNS: dict[str, tuple[str, ...]] = {
    "Association": ("union",), "Union": ("union",), "Federation": ("union",),
    "Guild": ("union",), "Brotherhood": ("union",), "Confederation": ("union",),
    "Teamsters": ("union",), "Workers": ("union",), "Company": ("company", "employer"),
    "Corporation": ("company", "employer"), "Corp": ("company",), "Inc": ("company",),
    "Airlines": ("airline", "company", "employer"), "Airways": ("airline", "company"),
    "System": ("hospital", "system", "employer"), "Health": ("hospital", "employer"),
    "Hospitals": ("hospital", "hospitals", "employer"), "Hospital": ("hospital", "employer"),
    "Schools": ("district", "school district", "employer"),
    "District": ("district", "school district", "employer"), "Board": ("board",),
    "Commerce": ("chamber", "business group"), "Council": ("council",),
    "Platform": ("opposition", "coalition"), "Coalition": ("coalition", "opposition"),
    "Organisation": ("union",), "Organization": ("union",), "Group": ("company", "employer"),
    "Alliance": ("alliance", "employers"), "Front": ("front", "group", "movement"),
    "Movement": ("movement", "group"), "Forum": ("forum", "group"), "Party": ("party",),
    "League": ("league",), "Chamber": ("chamber", "business group"),
}  # fmt: skip
# Words of one name are separated by spaces, never by a line break: a caption's last word
# ("Wire/Staff") must not run into the next paragraph's name.
_ORG_RE = re.compile(
    r"(?<![\w-])(?:[A-Z][\w'&.-]*[ \t]+(?:(?:of|and|&|for)[ \t]+)?){1,4}(?:"
    + "|".join(_ORG_NOUNS)
    + r")\b\.?"
)


# Head-first names ("Association of Salaried Medical Specialists"), with the acronym the
# article gives them in brackets.
_ORG_HEAD_RE = re.compile(
    r"(?<![\w-])(?:[A-Z][\w'-]*[ \t]+){0,3}(?:Association|Union|Federation|Confederation|Society|"
    r"Guild|Alliance|Order|Board|Council|Chamber)"
    r"[ \t]+of[ \t]+(?:the[ \t]+)?[A-Z][\w'-]+(?:[ \t]+(?:and[ \t]+|&[ \t]+)?[A-Z][\w'-]+){0,4}"
    r"(?:[ \t]+\(([A-Z]{2,6})\))?"
)


def _before_other_party(name: str, after: str, registry: Registry) -> str:
    """A head-first name up to an "and" that joins another party to it: "Association of
    Salaried Medical Specialists and Health New Zealand" is two ("Teachers and Lecturers"
    stays one)."""
    parts = re.split(r"[ \t]+(?:and|&)[ \t]+", name)
    for i, rest in enumerate(parts[1:], start=1):
        words = rest.split() + (after.split()[:2] if i == len(parts) - 1 else [])
        spans = (" ".join(words[a:b]) for a in range(len(words)) for b in range(a + 1, a + 4))
        if any(registry.resolve(span) is not None for span in spans):
            return " and ".join(parts[:i])
    return name


_LEADING_ARTICLE = re.compile(r"(?:(?:[Tt]he|An?)[ \t]+)?")
_OFFICE_AFTER = re.compile(r"[ \t]+(?:Minister|Ministry|Secretary|Department)\b")


def _organisations(text: str, registry: Registry) -> list[Mention]:
    """Organisations named in the article but absent from the registry, and a short name
    ("Riverside") when the article uses one alone as a subject."""
    found: list[Mention] = []
    names: dict[str, str] = {}
    for m in _ORG_RE.finditer(text):
        name = re.sub(r"^(?:The|A|An)\s+", "", m.group()).rstrip(".")
        if " " not in name or registry.resolve(name) is not None:
            continue
        if _OFFICE_AFTER.match(text, m.end()):
            continue  # "Chinese Commerce Minister Wang": a state's office, no organisation
        start = m.end() - len(m.group().rstrip(".")) + (len(m.group().rstrip(".")) - len(name))
        found.append(Mention(start, start + len(name), name, name, None, "organisation"))
        first = name.split()[0]
        if len(first) >= 4 and registry.resolve(first) is None:
            names.setdefault(first, name)
    for m in _ORG_HEAD_RE.finditer(text):
        name = re.sub(r"[ \t]+\([A-Z]{2,6}\)$", "", m.group())
        name = _before_other_party(name, text[m.end() : m.end() + 40], registry)
        article = _LEADING_ARTICLE.match(name)
        lead = article.end() if article else 0
        start, name = m.start() + lead, name[lead:]
        if registry.resolve(name) is not None:
            continue
        found.append(Mention(start, start + len(name), name, name, None, "organisation"))
        if m.group(1) and registry.resolve(m.group(1)) is None:
            for a in re.finditer(rf"(?<![\w(-]){m.group(1)}(?:'s)?(?![\w)-])", text):
                found.append(Mention(a.start(), a.end(), a.group(), name, None, "organisation"))
    for short, name in names.items():
        for m in re.finditer(
            rf"(?<![\w-]){re.escape(short)}(?:'s)?(?=\s+(?:said|says|told|warned|rejected|"
            rf"offered|proposed|accepted|agreed|urged|added)\b)",
            text,
        ):
            found.append(Mention(m.start(), m.end(), m.group(), name, None, "organisation"))
    return found


_ACTS = re.compile(
    r"\s+(?:(?:has|had|also|again|then|now)\s+)?(?:said|says|pressed|presses|urged|urges|"
    r"rejected|rejects|demanded|demands|accepted|accepts|offered|offers|proposed|proposes|"
    r"warned|warns|insisted|insists|accused|accuses|welcomed|welcomes|condemned|condemns|"
    r"called|calls|responded|responds|threatened|threatens|denied|denies|backed|agreed)\b"
)


def _org_nouns(name: str) -> tuple[str, ...]:
    """The nouns of a name's kind, in its last word ("... Nurses Association") or, head
    first, before its "of" ("Association of ...", "state Board of Education")."""
    words = name.split()
    head = words[words.index("of") - 1] if "of" in words[1:] else words[0]
    return _ORG_NOUNS.get(words[-1], ()) or _ORG_NOUNS.get(head, ())


# Capitalised words that stand before or after a state's name without making one name with
# it: sentence openers, prepositions, titles, days and months.
_NOT_PART = {
    "The", "A", "An", "In", "On", "At", "For", "From", "With", "And", "But", "Or", "As", "By",
    "To", "Of", "When", "While", "After", "Before", "Since", "Both", "If", "Then", "Under",
    "Against", "Between", "Across", "Inside", "Outside", "Within", "Unlike", "Like", "Did",
    "Does", "Has", "Will", "Would", "Can", "Could", "Should", "Is", "Was", "Why", "How",
    "What", "Where", "Who", "Meanwhile", "Also", "Only", "Even", "Not", "Nor", "Once",
    "Until", "Unless", "Although", "Though", "Because", "That", "This", "Yet", "So", "Now",
    "Today", "Elsewhere", "Separately", "Here", "There", "Mr", "Ms", "Mrs", "Dr", "Wire",
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central",
    "Greater", "Said", "Says", "Told", "Via", "Through", "Over", "About", "Toward", "Towards",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
    "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep",
    "Oct", "Nov", "Dec",
}  # fmt: skip


def _state_named(text: str, found: list[Mention], registry: Registry) -> list[Mention]:
    """Organisations named after a state with a common noun ("Health New Zealand", "Canada
    Post"), told at least twice so that a sentence opener is not taken for a name: the
    organisation, not the state, is the party."""
    out: list[Mention] = []
    for m in found:
        if m.kind != "state" or m.person or m.text.endswith(("'s", "'")):
            continue
        before = re.search(r"(?<![\w'-])([A-Z][a-z]+)[ \t]+$", text[max(0, m.start - 20) : m.start])
        after = re.match(r"[ \t]+([A-Z][a-z]+)(?![\w-])", text[m.end :])
        for word, start, end in (
            (before.group(1), m.start - len(before.group()), m.end) if before else ("", 0, 0),
            (after.group(1), m.start, m.end + after.end()) if after else ("", 0, 0),
        ):
            name = text[start:end]
            if (
                not word
                or word in _NOT_PART
                or word.lower() in _TITLE_WORDS
                or registry.resolve(word) is not None
                or registry.demonym(word) is not None
                or registry.resolve(name) is not None
                or text.count(name) < 2
            ):
                continue
            out.append(Mention(start, end, name, name, None, "organisation"))
    return out


# --- people named in the article ----------------------------------------------------------

_TITLE_WORDS = {
    "president", "prime", "minister", "foreign", "defence", "defense", "interior", "finance",
    "trade", "envoy", "special", "chief", "spokesman", "spokeswoman", "spokesperson",
    "negotiator", "ambassador", "leader", "commander", "secretary", "secretary-general",
    "director-general", "chair", "head", "mediator", "representative", "king", "emir",
    "crown", "prince", "general", "governor", "acting", "deputy", "top", "senior", "policy",
    "affairs", "state", "of", "army", "military", "mission", "official", "vice", "premier",
    "chancellor", "counsellor", "adviser", "advisor", "security", "national", "intelligence",
    "the", "lead", "high", "commissioner", "rapporteur", "coordinator", "delegate",
    "foreign-policy",
}  # fmt: skip
_APPOSED = re.compile(
    r"(?:'s|-appointed)?((?:\s+[A-Za-z-]+){0,4}?)\s+([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,2})(?![\w'-])"
)
_NOT_NAMES = {"On", "The", "In", "At", "After", "Before", "But", "And", "Monday", "Tuesday",
              "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}  # fmt: skip


def _titled_name(text: str, m: Mention) -> str | None:
    """The person a party's title names: after it ("Cambodian Prime Minister Hun Manet") or,
    set off by commas, before it ("Andrii Sybiha, Ukraine's foreign minister, said")."""
    last = m.text.split()[-1].lower()
    found = _APPOSED.match(text, m.end)
    if found and _a_title(found.group(1).split(), last):
        return found.group(2)
    before = _NAME_COMMA.search(text[max(0, m.start - 60) : m.start])
    after = _TITLE_AFTER.match(text, m.end)
    if before is None or after is None or not _a_title(after.group(1).split(), last):
        return None
    return before.group(1)


def _a_title(words: list[str], last: str) -> bool:
    """Whether the words between a party and a name make a title ("Prime Minister"), or,
    with none, the party's mention ends with one ("Ukraine's foreign minister")."""
    return (bool(words) or last in _TITLE_WORDS) and all(w.lower() in _TITLE_WORDS for w in words)


# "Andrii Sybiha, Ukraine's foreign minister," / "Wang Yi, the Chinese foreign minister,"
_NAME_COMMA = re.compile(r"(?<![\w'-])([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,2}),\s+(?:the\s+)?$")
_TITLE_AFTER = re.compile(r"(?:'s)?((?:\s+[a-z][a-z-]*){0,4})\s*[,.;]")


def learn_people(text: str, mentions: list[Mention], registry: Registry) -> list[Mention]:
    """People the article introduces beside their party ("European Union envoy Miroslav
    Lajcak", "Cambodian Prime Minister Hun Manet") speak for that party wherever the article
    names them again: full name, surname, or a first name used alone before "said"."""
    learned: dict[str, tuple[str, str, str]] = {}  # name form -> (actor, person, kind)
    for m in mentions:
        if m.anaphor or not m.actor or m.person:
            continue
        name = _titled_name(text, m)
        if name is None:
            continue
        words = name.split()
        if words[0] in _NOT_NAMES or registry.resolve(name) or registry.resolve(words[0]):
            continue
        entry = (m.actor, name, m.kind)
        learned.setdefault(name, entry)
        if len(words[-1]) >= 4:
            learned.setdefault(words[-1], entry)
        if len(words[0]) >= 3 and re.search(
            rf"(?<![\w-]){re.escape(words[0])}\s+(?:said|says|told|warned|added)\b", text
        ):
            learned.setdefault(words[0], entry)
    if not learned:
        return mentions
    alternation = "|".join(re.escape(n) for n in sorted(learned, key=len, reverse=True))
    taken = [(m.start, m.end) for m in mentions]
    extra: list[Mention] = []
    for found in re.finditer(rf"(?<![\w-])(?:{alternation})(?:'s)?(?![\w-])", text):
        if any(a < found.end() and found.start() < b for a, b in taken):
            continue
        actor, person, kind = learned[_strip_possessive(found.group())]
        extra.append(Mention(found.start(), found.end(), found.group(), actor, person, kind))
        taken.append((found.start(), found.end()))
    return sorted([*mentions, *extra], key=lambda x: x.start)


def prefer_parties(
    mentions: list[Mention], parties: tuple[str, ...], registry: Registry
) -> list[Mention]:
    """An anaphor ("the government", "the group") that resolved to a bystander (a venue's
    state, a guarantor) points instead to the last named party of its kind, if any; not when
    its own noun names the bystander ("the union" after the union's name), nor when it continues
    a person named before ("Rubio said ... He also plans to": Rubio's, whoever the parties)."""
    if not parties:
        return mentions
    out: list[Mention] = []
    for m in mentions:
        if (
            m.anaphor
            and m.actor
            and not m.person
            and m.kind != "parties"
            and m.actor not in parties
        ):
            actor = registry.actors.get(m.actor)
            words = set(_strip_possessive(m.text).casefold().split()) - {"the", "a"}
            names = (m.actor, *(actor.aliases + actor.nouns if actor else ()))
            if any(words & set(n.casefold().split()) for n in names):
                out.append(m)
                continue
            named = [p for p in out if not p.anaphor and p.kind == m.kind and p.actor in parties]
            if named:
                m = Mention(m.start, m.end, m.text, named[-1].actor, None, m.kind, True)
        out.append(m)
    return out


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _strip_possessive(text: str) -> str:
    for suffix in ("'s", "'"):
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def _phrase(alias: str, fold_first: bool = False) -> str:
    parts = [re.escape(p) for p in alias.split()]
    if fold_first and parts and parts[0][:1].isalpha():
        first = parts[0]
        parts[0] = f"[{first[0].upper()}{first[0].lower()}]{first[1:]}"
    return r"\s+".join(parts)


def _alternation(
    aliases: list[str], possessive: bool, fold_first: bool = False
) -> re.Pattern[str] | None:
    if not aliases:
        return None
    originals = sorted(set(aliases), key=len, reverse=True)
    body = "|".join(_phrase(alias, fold_first) for alias in originals)
    suffix = r"(?:'s|')?" if possessive else ""
    flags = re.IGNORECASE if fold_first else 0
    return re.compile(rf"(?<![\w-])(?:{body}){suffix}(?![\w])", flags)


def user_actors_path() -> Path:
    """Where `tracker actors add` writes: TRACKER_ACTORS, else the user's config directory."""
    env = os.environ.get("TRACKER_ACTORS")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "tracker" / "actors.toml"


# The store's actors for the extraction in hand (set by tracker.extract.definitions_in_use).
store_actors: ContextVar[tuple[ActorDef, ...]] = ContextVar("store_actors", default=())


def load_registry() -> Registry:
    user = user_actors_path()
    stamp = user.stat().st_mtime_ns if user.is_file() else 0
    return _load(str(user), stamp, store_actors.get())


@cache
def _load(user: str, stamp: int, extra: tuple[ActorDef, ...] = ()) -> Registry:
    registry = Registry()
    files = [data_dir("seeds") / "states.toml", data_dir("seeds") / "actors.toml"]
    if stamp:
        files.append(Path(user))
    for path in files:
        _merge(registry, read_registry(path))
    if extra:  # after the files: a same-named store actor extends theirs
        _merge(registry, {"actors": [actor.as_entry() for actor in extra]})
    return registry.compile()


def read_registry(path: Path) -> dict[str, Any]:
    """A registry file with its shape checked, so a slip in the user's file is one line that
    names it rather than a TypeError inside every extraction."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, ValueError) as exc:
        raise TrackerError(f"{path}: not a readable TOML registry ({exc})") from None
    problem = None if _strings(data.get("heads", [])) else "heads must be a list of strings"
    for table in ("actors", "anaphora", "places"):
        entries = data.get(table, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            problem = problem or f"{table} must be an array of tables, [[{table}]]"
            continue
        for entry in entries:
            if table != "anaphora" and not isinstance(entry.get("name"), str):
                problem = problem or f"a [[{table}]] entry has no name"
            lists = ("aliases", "demonyms", "nouns", "phrases")
            if not all(_strings(entry.get(key, [])) for key in lists):
                problem = problem or f"{table}: aliases, demonyms, nouns, phrases must be lists"
    if problem:
        raise TrackerError(f"{path}: {problem}")
    return data


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _merge(registry: Registry, data: dict[str, Any]) -> None:
    registry.heads.extend(h for h in data.get("heads", []) if h not in registry.heads)
    for entry in data.get("actors", []):
        previous = registry.actors.get(entry["name"])
        aliases = tuple(entry.get("aliases", ()))
        demonyms = tuple(entry.get("demonyms", ()))
        if previous is not None:  # a user entry extends a seed entry of the same name
            aliases = previous.aliases + aliases
            demonyms = previous.demonyms + demonyms
        registry.add(
            Actor(
                name=entry["name"],
                # an entry that only adds aliases keeps what the earlier one said
                kind=entry.get("kind") or (previous.kind if previous else "state"),
                speaks_for=entry.get("for") or (previous.speaks_for if previous else None),
                aliases=aliases,
                demonyms=demonyms,
                nouns=(previous.nouns if previous else ()) + tuple(entry.get("nouns", ())),
            )
        )
    for entry in data.get("anaphora", []):
        for phrase in entry.get("phrases", []):
            registry.anaphora[_key(phrase)] = entry.get("kind", "organisation")
    for entry in data.get("places", []):
        if entry.get("country"):
            registry.countries[entry["name"]] = entry["country"]
        for alias in (entry["name"], *entry.get("aliases", ())):
            registry.places[_key(alias)] = entry["name"]
            registry._place_aliases.append(alias)

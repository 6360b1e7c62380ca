"""events/frames.toml as objects: which predicate lemmas make which event type, and the word
lists that set a frame's modality."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from tracker.resources import data_dir


@dataclass(frozen=True)
class Predicate:
    lemma: str  # "reject", or with its particle or preposition: "turn down", "call on"
    type: str
    objects: frozenset[str] = frozenset()  # empty: any object, or none
    unreal: bool = False  # a penalty: a threat only when not stated as done
    subjects: frozenset[str] = frozenset()  # empty: anyone may do it
    by: frozenset[str] = frozenset()  # for a noun: the prepositions that name its owner


@dataclass(frozen=True)
class Lexicon:
    predicates: dict[str, tuple[Predicate, ...]]
    nouns: dict[str, Predicate]
    words: dict[str, frozenset[str]]
    other_senses: dict[str, frozenset[str]]  # "reject", "meet with" -> objects of another sense

    def first_words(self) -> frozenset[str]:
        return frozenset(lemma.split()[0] for lemma in [*self.predicates, *self.nouns])


@cache
def load_lexicon() -> Lexicon:
    with (data_dir("events") / "frames.toml").open("rb") as handle:
        data = tomllib.load(handle)
    predicates: dict[str, list[Predicate]] = {}
    for entry in data["predicate"]:
        objects = frozenset(entry.get("objects", ()))
        unreal = bool(entry.get("unreal", False))
        doers = frozenset(entry.get("subjects", ()))
        for lemma in entry["lemmas"]:
            found = Predicate(lemma, entry["type"], objects, unreal, doers)
            predicates.setdefault(lemma, []).append(found)
    nouns = {
        lemma: Predicate(lemma, entry["type"], by=frozenset(entry["by"]))
        for entry in data.get("noun", ())
        for lemma in entry["lemmas"]
    }
    words = {key: frozenset(values) for key, values in data["modality"].items()}
    words |= {key: frozenset(values) for key, values in data["nouns"].items()}
    senses = data["other_senses"]
    other = {
        key: frozenset(senses[value] if isinstance(value, str) else value)
        for key, value in senses.items()
    }
    return Lexicon({k: tuple(v) for k, v in predicates.items()}, nouns, words, other)

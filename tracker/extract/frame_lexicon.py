"""events/frames.toml as objects: which predicate lemmas make which event type, and the word
lists that set a frame's modality."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property

from tracker.resources import data_dir


@dataclass(frozen=True)
class Predicate:
    lemma: str  # "reject", or with its particle or preposition: "turn down", "call on"
    type: str
    objects: frozenset[str] = frozenset()  # empty: any object, or none
    unreal: bool = False  # a penalty: a threat only when not stated as done
    subjects: frozenset[str] = frozenset()  # empty: anyone may do it
    by_sides: bool = False  # done by the article's two sides ("talks resumed")
    by: frozenset[str] = frozenset()  # for a noun: the prepositions that name its owner


@dataclass(frozen=True)
class Lexicon:
    predicates: dict[str, tuple[Predicate, ...]]
    nouns: dict[str, Predicate]
    words: dict[str, frozenset[str]]
    other_senses: dict[str, frozenset[str]]  # "reject", "meet with" -> objects of another sense

    irregular: dict[str, str]  # "met" -> "meet"

    @cached_property
    def _verdict_words(self) -> frozenset[str]:
        """The last word of each verdict ("short" of "fall short", "starter" of
        "non-starter")."""
        return frozenset(_WORD.findall(w)[-1] for w in self.words["rejecting"])

    @cached_property
    def _judged(self) -> frozenset[str]:
        return self.words["proposal_nouns"] | self.words["content_nouns"]

    def worth_parsing(self, sentence: str) -> bool:
        """Whether a sentence may hold a frame: a form of a predicate's words, and one of
        its objects when it needs one ("held" only beside "talks" or "meeting")."""
        words = {self.irregular.get(w, w) for w in _WORD.findall(sentence.lower())}
        if "underway" in words or {"under", "way"} <= words or "ongoing" in words:
            return True  # "efforts are under way"
        words |= {stem for w in words for stem in _stems(w)}
        talks = words & (self.words["talk_nouns"] | {"meeting"})
        if talks and "with" in words and words & {"after", "following", "during"}:
            return True  # "following talks with X, Y said"
        if words & self.words["penalty_nouns"] and words & self.words["conditions"]:
            return True  # "sanctions could follow if ...": a threat (warned.py)
        if "until" in words and words & {"not", "never", "t"}:  # "won't" is "won", "t"
            return True  # "will not sign until ...": a demand (owed.py)
        if words & self._verdict_words and words & self._judged:
            return True  # "the offer falls short": a verdict (verdicts.py)
        if words & (self.nouns.keys() | self.words["obliging"]):
            return True  # a noun frame, or what one party says another must do
        for lemma, predicates in self.predicates.items():
            if not all(part in words for part in lemma.split()):
                continue
            for predicate in predicates:
                if not predicate.objects or words & predicate.objects:
                    return True
        return False


@cache
def load_lexicon() -> Lexicon:
    with (data_dir("events") / "frames.toml").open("rb") as handle:
        data = tomllib.load(handle)
    predicates: dict[str, list[Predicate]] = {}
    for entry in data["predicate"]:
        objects = frozenset(entry.get("objects", ()))
        unreal = bool(entry.get("unreal", False))
        doers = frozenset(entry.get("subjects", ()))
        sides = bool(entry.get("by_sides", False))
        for lemma in entry["lemmas"]:
            found = Predicate(lemma, entry["type"], objects, unreal, doers, sides)
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
    lexicon = {k: tuple(v) for k, v in predicates.items()}
    return Lexicon(lexicon, nouns, words, other, dict(data["irregular"]))


_WORD = re.compile(r"[a-z]+")


def _stems(word: str) -> list[str]:
    """The lemmas a regular form may come from: "proposed" -> propose, "talks" -> talk."""
    found = []
    for suffix, back in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""),
                         ("ed", "e"), ("es", ""), ("s", ""), ("d", "")):  # fmt: skip
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            found.append(word[: -len(suffix)] + back)
    if len(word) > 4 and word[-1] == word[-2]:  # "planned" -> "plann" -> "plan"
        found.append(word[:-1])
    return [*found, *(w[:-1] for w in found if len(w) > 3 and w[-1] == w[-2])]

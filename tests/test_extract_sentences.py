"""Sentence and paragraph spans: what the per-sentence and per-paragraph steps read."""

from __future__ import annotations

from tracker.extract.sentences import paragraph_span, split_sentences


def test_a_paragraph_runs_from_newline_to_newline_and_the_text_ends_the_last() -> None:
    text = "Egypt held talks. Ethiopia said no.\nSudan stayed away. Mr. Ali left.\nThe end"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Egypt held talks.",
        "Ethiopia said no.",
        "Sudan stayed away.",
        "Mr. Ali left.",
        "The end",
    ]
    first, second, third, fourth, last = sentences
    assert paragraph_span(text, first) == paragraph_span(text, second) == (0, 35)
    start, end = paragraph_span(text, fourth)
    assert (start, end) == paragraph_span(text, third)
    assert text[start:end] == "Sudan stayed away. Mr. Ali left."
    assert paragraph_span(text, last) == (len(text) - len("The end"), len(text))


def test_an_abbreviation_ends_a_sentence_before_a_closing_quote_or_an_opening_word() -> None:
    text = (
        'He said the plan was "made in the U.S." Many residents object to it. '
        "The strikes hit the U.S. The talks went on. U.S. officials met at 9 a.m. on Monday."
    )
    assert [s.text for s in split_sentences(text)] == [
        'He said the plan was "made in the U.S."',
        "Many residents object to it.",
        "The strikes hit the U.S.",
        "The talks went on.",
        "U.S. officials met at 9 a.m. on Monday.",
    ]


def test_a_subhead_glued_to_its_paragraph_is_a_sentence_of_its_own() -> None:
    text = (
        "The talks ended on Friday. Border concerns The two delegations met again on Monday. "
        "Difficult winter Although the port reopened, strikes went on. Trade partners "
        "Officials in Lima said little."
    )
    assert [s.text for s in split_sentences(text)] == [
        "The talks ended on Friday.",
        "Border concerns",
        "The two delegations met again on Monday.",
        "Difficult winter",
        "Although the port reopened, strikes went on.",
        "Trade partners",
        "Officials in Lima said little.",
    ]
    # A name that takes "The", a clause, or a title before a plural is no subhead.
    for whole in (
        "Abbas told The Associated Press he would go.",
        "Trump also attacked The Wall Street Journal on Friday.",
        "The court in The Hague ruled on Monday.",
        "White House Officials said nothing.",
        "Plan A was dropped.",
    ):
        assert [s.text for s in split_sentences(whole)] == [whole]


def test_every_sentence_span_is_its_text() -> None:
    text = "Border concerns The two delegations met. Difficult winter Although it rained, no."
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text

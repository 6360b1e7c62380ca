"""Tables for people that stay readable at any width, piped ones included (80 columns).

When the row does not fit: long text columns (evidence, errors, URLs; the first column too,
when it alone is wider than the table) move under the row, as indented `name: text` lines
that wrap, in the columns' order; then the widest remaining columns wrap inside their cells,
down to 16 characters (the kept columns down to their longest word); only then is a further
column moved under. No column ever becomes one word wide."""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Sequence

from rich.cells import cell_len

GAP = 2
INDENT = "    "
LONG = 40  # a column wider than this moves under the row rather than wrapping in it
FLOOR = 16  # the narrowest a column wraps to


def render(
    rows: Sequence[Sequence[str]],
    columns: Sequence[str],
    width: int,
    keep: Collection[str] = (),
) -> list[str]:
    """Lines of a table of `rows` (cells already text). Columns in `keep`, and the first
    (unless wider than the table), stay on the row and are never narrower than their
    longest word ("asserted (retracted)" may take two lines; an id never breaks)."""
    cells = [[" ".join(cell.split()) for cell in row] for row in rows]
    natural = [
        max([cell_len(name), *(cell_len(row[i]) for row in cells)])
        for i, name in enumerate(columns)
    ]
    words = [
        max([cell_len(name), *(cell_len(w) for row in cells for w in row[i].split())])
        for i, name in enumerate(columns)
    ]
    # The first column says what the row is and stays, unless it alone is wider than the
    # table may be (a long feed URL): then it goes under like any long text.
    movable = [(i > 0 or natural[0] > width) and c not in keep for i, c in enumerate(columns)]
    widths, under = _layout(natural, movable, words, width)
    inline = [i for i in range(len(columns)) if i not in under]
    out = _lines([columns[i] for i in inline], [widths[i] for i in inline])
    out.append("─" * min(width, sum(widths[i] for i in inline) + GAP * (len(inline) - 1)))
    for row in cells:
        out += _lines([row[i] for i in inline], [widths[i] for i in inline])
        for i in sorted(under):  # in the columns' order, whatever moved first
            if row[i]:
                out += textwrap.wrap(
                    f"{columns[i]}: {row[i]}",
                    width=max(FLOOR, width),
                    initial_indent=INDENT,
                    subsequent_indent=INDENT + "  ",
                    break_on_hyphens=False,
                )
    return out


def _layout(
    natural: list[int], movable: list[bool], words: list[int], width: int
) -> tuple[list[int], list[int]]:
    """(the width of each column, the columns moved under the row). `words`: each column's
    longest word (its header included), which a column is not made narrower than if it can
    be helped."""
    under: list[int] = []

    def total(widths: list[int]) -> int:
        shown = [w for i, w in enumerate(widths) if i not in under]
        return sum(shown) + GAP * (len(shown) - 1)

    def left() -> list[int]:
        return [i for i, ok in enumerate(movable) if ok and i not in under]

    while total(natural) > width and (long := [i for i in left() if natural[i] > LONG]):
        under.append(max(long, key=lambda i: natural[i]))
    while True:
        widths = list(natural)
        over = total(widths) - width
        kept = {i: words[i] for i, ok in enumerate(movable) if not ok}  # whole words only
        for whole_words in (True, False):
            floors = kept | {
                i: min(natural[i], max(FLOOR, words[i]) if whole_words else FLOOR) for i in left()
            }
            if over <= 0 or sum(widths[i] - f for i, f in floors.items()) >= over:
                while over > 0:  # a character at a time from the column with most to spare
                    i = max(floors, key=lambda i: widths[i] - floors[i])
                    widths[i] -= 1
                    over -= 1
                return widths, under
        if not left():
            return widths, under  # nothing left to move: the row is as narrow as it gets
        under.append(left()[-1])  # the rightmost: the first columns say what the row is


def _lines(texts: Sequence[str], widths: Sequence[int]) -> list[str]:
    """One row, each cell wrapped to its column: as many lines as its tallest cell."""
    wrapped = [
        textwrap.wrap(t, w, break_on_hyphens=False) or [""]
        for t, w in zip(texts, widths, strict=True)
    ]
    height = max(len(w) for w in wrapped)
    out = []
    for n in range(height):
        parts = [(w[n] if n < len(w) else "") for w in wrapped]
        padded = [p + " " * (w - cell_len(p)) for p, w in zip(parts, widths, strict=True)]
        out.append((" " * GAP).join(padded).rstrip())
    return out

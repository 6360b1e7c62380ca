"""`tracker extract` for people: a block per event that stays readable at 80 columns."""

from __future__ import annotations

from conftest import SEED_ARTICLE


def test_extract_table_fits_80_columns_with_the_evidence_whole(cli) -> None:
    result = cli("extract", str(SEED_ARTICLE), db=None)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    # The conditional threat: its line, its condition, and its sentence unbroken by columns.
    block = next(b for b in result.out.split("\n\n") if b.startswith("threat.issued"))
    assert "Israel -> Hamas  [conditional]" in block.splitlines()[0]
    assert "if Hamas rejects the proposal" in block
    flowing = " ".join(line.strip() for line in block.splitlines()[2:])
    assert "should Hamas reject the proposal, Israel’s military would invade Rafah" in flowing
    assert "8 events" in result.err

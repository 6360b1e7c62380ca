"""Export files that cannot be overwritten by someone else's text: one file per negotiation id
(unique, bounded names, also for ids stored before ids were checked), written atomically."""

from __future__ import annotations

import os
import re

import pytest
from test_export_data import NEGOTIATION, fill_seed

from tracker.events import Evidence, ProposalMade
from tracker.export.formats import safe_stem, write_atomic
from tracker.services import add_event


def legacy_event(negotiation: str) -> ProposalMade:
    """An event naming a negotiation id that is not a slug, as an older store may hold."""
    return ProposalMade(
        actor="Egypt",
        evidence=(Evidence(text="Egypt proposed a truce.", start=0, end=23),),
        negotiations=(negotiation,),
    )


def test_ids_that_are_not_slugs_never_reach_another_negotiations_files(cli, store, tmp_path):
    fill_seed(store, hostile=False)
    for fake in ("israel/hamas-ceasefire", "israel-hamas-ceasefire/", "x" * 300):
        add_event(store, legacy_event(fake))
    out = tmp_path / "out"
    result = cli("export", "--out-dir", str(out))
    assert result.code == 0, result.err
    names = sorted(p.name for p in out.iterdir())
    # four negotiations, four formats each, no file shared; and the index linking them
    assert len(names) == 4 * 4 + 1 and "index.html" in names
    index = (out / "index.html").read_text(encoding="utf-8")
    assert sorted(re.findall(r'href="([^"]+)"', index)) == [
        n for n in names if n.endswith(".html") and n != "index.html"
    ]
    assert all(len(name) <= 80 and "/" not in name for name in names)
    real = (out / f"{NEGOTIATION}.json").read_text(encoding="utf-8")
    assert "Egypt proposed a truce" not in real
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp file left


def test_safe_stem_is_unique_and_bounded():
    stems = {safe_stem(x) for x in ("a/b", "a-b", "a_b", "a b", "A-B", "x" * 300, "y" * 300)}
    assert len(stems) == 7 and max(map(len, stems)) <= 64
    assert safe_stem("israel-hamas-ceasefire") == "israel-hamas-ceasefire"


def test_a_failed_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "status.md"
    target.write_text("old brief\n", encoding="utf-8")

    def refuse(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomic(target, "new brief\n" * 1000)
    assert target.read_text(encoding="utf-8") == "old brief\n"
    assert [p.name for p in tmp_path.iterdir()] == ["status.md"]

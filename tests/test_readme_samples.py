"""The README's sample outputs are what their commands print (tests/readme_samples.py runs
them in a fresh directory); `make readme-samples` rewrites them when an output changes on
purpose. Only the benchmarks' figures are not samples: they are one dated run's measurements."""

from __future__ import annotations

import os
import re
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
import readme_samples as samples

TEXT = samples.README.read_text()
BLOCKS = samples.blocks(TEXT)
FENCED = re.compile(r"^```[a-z]*\n(.*?)^```$", re.M | re.S)


NAMES = list(dict.fromkeys(b.session for b in BLOCKS))


@pytest.fixture(scope="module")
def printed() -> dict[str, Future[list[str]]]:
    """Every session that can run here, run side by side (each is mostly waiting for its
    processes), so the whole README costs about what its longest sessions cost."""
    pool = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2))
    runnable = [n for n in NAMES if not samples.missing(n)]
    futures = {
        n: pool.submit(samples.run_blocks, n, [b for b in BLOCKS if b.session == n])
        for n in runnable
    }
    pool.shutdown(wait=False)
    return futures


@pytest.mark.parametrize("name", NAMES)
def test_each_sample_is_what_its_commands_print(
    name: str, printed: dict[str, Future[list[str]]]
) -> None:
    if lacking := samples.missing(name):
        reason = f"the README sample {name!r} needs {', '.join(lacking)}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    mine = [b for b in BLOCKS if b.session == name]
    for block, printed_now in zip(mine, printed[name].result(), strict=True):
        shown = TEXT[block.start : block.end]
        assert samples.masked(shown) == samples.masked(printed_now), (
            f"the README sample {name!r} is stale: run `make readme-samples`"
        )


def test_every_block_showing_output_is_a_sample_or_a_benchmark() -> None:
    generated = {b.start for b in BLOCKS}
    for match in FENCED.finditer(TEXT):
        body = match.group(1)
        if "\n$ " not in "\n" + body or match.start(1) in generated:
            continue
        commands = [line for line in body.splitlines() if line.startswith("$ ")]
        if len(commands) == len(body.splitlines()):
            continue  # commands to type, no output shown
        measured = all(c.startswith("$ .venv/bin/python bench/") for c in commands)
        assert measured, f"a README block is neither generated nor a benchmark: {commands[0]}"


def test_the_demo_sample_follows_the_makefile_demo_target() -> None:
    commands = samples.demo_commands()
    assert commands[0] == "rm -rf out"
    assert ".venv/bin/tracker status" in commands
    assert all(c.startswith((".venv/bin/tracker ", "rm ")) for c in commands)


def test_the_masks_hide_the_clock_and_nothing_else() -> None:
    line = "ok: 9 events, head 213cd3c08f15d68d at 2026-11-24T22:58:23.425336+00:00 in 0.02 s"
    assert samples.masked(line) == "ok: 9 events, head <hash> at <time> in <seconds>"
    event_id = "7c5fa636a5e2e5b23ff695fe302a0a64"  # content-derived: the same every run
    assert samples.masked(event_id) == event_id

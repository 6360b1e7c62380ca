"""The README's "What `make demo` does" sample is what the demo prints (tests/readme_demo.py
runs it); `make readme-demo` rewrites the sample when the output changes on purpose."""

from __future__ import annotations

import readme_demo


def test_the_readme_demo_sample_is_what_the_demo_prints():
    text = readme_demo.README.read_text()
    start, end = readme_demo.readme_block(text)
    shown = readme_demo.masked(text[start:end])
    printed = readme_demo.masked(readme_demo.run_demo())
    assert shown == printed, "the README's demo sample is stale: run `make readme-demo`"


def test_the_sample_follows_the_makefile_demo_target():
    commands = readme_demo.demo_commands()
    assert commands[0] == "rm -rf out"
    assert ".venv/bin/tracker status" in commands
    assert all(c.startswith((".venv/bin/tracker ", "rm ")) for c in commands)

"""The sample output in the README's "What `make demo` does" section, produced by running the
demo: the commands of the Makefile's `demo` target, in a fresh directory, at 80 columns.

    .venv/bin/python tests/readme_demo.py          # print the block
    .venv/bin/python tests/readme_demo.py --write  # put it into README.md (make readme-demo)

tests/test_readme_demo.py fails when the README's block is not what the demo prints, so the
sample cannot drift. What varies from run to run is masked when comparing: the chain's head
hash. The checkout's own path is written as /home/me/tracker."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SECTION = "## What `make demo` does"
ELIDED = {"init", "poll", "list"}  # run, but shown as "..." (their output is long or nil)
SHOWN_ROOT = "/home/me/tracker"
HEAD = re.compile(r"head [0-9a-f]{16}")


def demo_commands(makefile: Path = ROOT / "Makefile") -> list[str]:
    """The recipe lines of the `demo` target, as make echoes them."""
    lines = makefile.read_text().split("\ndemo: $(STAMP)\n", 1)[1].split("\n\n", 1)[0]
    return [line.strip().replace("$(TRACKER)", ".venv/bin/tracker") for line in lines.splitlines()]


def run_demo() -> str:
    """The block: `$ make demo`, then each command as make echoes it and what it prints."""
    out = ["$ make demo"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "seeds").symlink_to(ROOT / "seeds")
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        env |= {"TRACKER_DB": str(work / "out" / "demo.db"), "COLUMNS": "80"}
        for line in demo_commands():
            argv = shlex.split(line)
            shown = argv[0] == ".venv/bin/tracker" and argv[1] not in ELIDED
            if argv[0] == ".venv/bin/tracker":
                argv = [sys.executable, "-m", "tracker.cli.app", *argv[1:]]
            done = subprocess.run(
                argv, cwd=work, env=env, capture_output=True, text=True, timeout=300, check=False
            )
            if done.returncode != 0:
                raise SystemExit(f"`{line}` failed ({done.returncode}): {done.stderr.strip()}")
            if not shown:
                if out[-1] != "...":
                    out.append("...")
                continue
            out.append(line)
            printed = (done.stdout + done.stderr).rstrip("\n")
            out += [text.rstrip() for text in printed.splitlines()] if printed else []
    return "\n".join(out).replace(str(ROOT), SHOWN_ROOT).replace(str(work), SHOWN_ROOT) + "\n"


def readme_block(text: str) -> tuple[int, int]:
    """Start and end offsets of the code block's body in the section."""
    section = text.index(SECTION)
    start = text.index("```\n", section) + len("```\n")
    end = text.index("```\n", start)
    if "\n## " in text[section + len(SECTION) : start]:
        raise SystemExit(f"no code block in the README section {SECTION!r}")
    return start, end


def masked(block: str) -> str:
    return HEAD.sub("head <hash>", block)


def main() -> None:
    block = run_demo()
    if "--write" not in sys.argv[1:]:
        sys.stdout.write(block)
        return
    text = README.read_text()
    start, end = readme_block(text)
    README.write_text(text[:start] + block + text[end:])
    print(f"wrote the demo's output into {README.name} ({SECTION})", file=sys.stderr)


if __name__ == "__main__":
    main()

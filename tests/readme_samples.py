"""Every sample output in the README, produced by running its commands. A fenced block right
after a `<!-- sample: NAME -->` line is a sample: its `$ ` lines are the commands (a line
ending in a backslash goes on), the other lines what they print, and this script writes those
lines. The blocks of one NAME are one session: one fresh directory, run in README order, after
the session's hidden setup below (files it reads, a store it starts from). The `demo` sample
is the Makefile's `demo` recipe, as make echoes it.

    .venv/bin/python tests/readme_samples.py          # print every sample
    .venv/bin/python tests/readme_samples.py --write  # into README.md (make readme-samples)
    .venv/bin/python tests/readme_samples.py run feeds  # only these sessions

tests/test_readme_samples.py fails when a sample is not what its commands print, so the
README cannot drift. Commands run under bash with `tracker` on PATH (this checkout's code),
at 80 columns, in UTC; the directory is shown as /home/me/tracker. What varies from run to
run is masked when comparing (`masked`): the clock (timestamps, the hash chain's head, which
covers them, durations, a process id)."""

from __future__ import annotations

import contextlib
import os
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SHOWN_ROOT = "/home/me/tracker"
MARK = re.compile(r"^<!-- sample: ([a-z0-9-]+) -->\n```[a-z]*\n(.*?)^```$", re.M | re.S)
ELIDED = {"init", "poll", "list"}  # the demo runs them, but shows "..." (long or nil output)

MASKS = (
    (re.compile(r"\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:\+00:00|Z)?"), "<time>"),
    (re.compile(r"\b\d\d:\d\d:\d\d\b"), "<clock>"),
    (re.compile(r"\b(\d+:)?[0-9a-f]{16}(?:[0-9a-f]{48})?\b"), "<hash>"),  # not ids (32)
    (re.compile(r"\b\d+\.\d\d s\b"), "<seconds>"),
    (re.compile(r"\(pid \d+\)"), "(pid <n>)"),
)


def _userdata(name: str) -> str:
    """The walkthrough's articles are the test's own (tests/test_userdata.py runs the same
    steps), so the sample and the test cannot tell two stories."""
    sys.path.insert(0, str(ROOT / "tests"))
    import test_userdata

    return str(getattr(test_userdata, name))


def _feed(*items: tuple[str, str, str]) -> str:
    """An RSS document of (guid, day, text) items."""
    entries = "".join(
        f"<item><title>{text.split(' on ')[0]}</title><guid>urn:wire:{guid}</guid>"
        f"<link>https://wire.example/{guid}</link><pubDate>{day} 10:00:00 GMT</pubDate>"
        f"<description>{text}</description></item>\n"
        for guid, day, text in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        "<title>Talks wire</title><link>https://wire.example/</link><description>Talks"
        f"</description>\n{entries}</channel></rss>\n"
    )


DAY1 = ("1", "Mon, 06 May 2024", "Israel proposed a new ceasefire deal to Hamas on Monday.")
DAY2 = ("2", "Tue, 07 May 2024", "Hamas rejected the proposal on Tuesday.")
SHOWN_PG = "postgresql://analyst@db.internal/tracker"


def _free_port(stack: ExitStack) -> dict[str, str]:
    """The dashboard's port, shown as its default 8080 (which may be taken here)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return {"8080": str(probe.getsockname()[1])}


def _pg_database(stack: ExitStack) -> dict[str, str]:
    """A fresh database on the test server (TRACKER_TEST_POSTGRES), shown as SHOWN_PG."""
    sys.path.insert(0, str(ROOT / "tests"))
    import pg

    return {SHOWN_PG: stack.enter_context(pg.fresh_database())}


@dataclass(frozen=True)
class Session:
    """What a sample's commands start from, beyond a fresh directory holding `seeds/` and
    `tests/gold/articles/`: files (name -> text, or a function giving it), hidden setup
    lines, and values the sample shows otherwise than they are here (shown -> real: a port,
    a database URL), put into the commands and taken out of what they print."""

    files: dict[str, str | Callable[[], str]] = field(default_factory=dict)
    setup: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()  # programs (or $VARIABLES) beyond Python and bash
    values: Callable[[ExitStack], dict[str, str]] | None = None


SESSIONS: dict[str, Session] = {
    "demo": Session(),
    "log": Session(needs=("sqlite3",)),
    "sql": Session(setup=("tracker ingest seeds/000_46a520fc1d27543f.txt",), needs=("sqlite3",)),
    "ingest": Session(files={"empty.txt": ""}),
    "extract": Session(),
    "object": Session(),
    "actors": Session(),
    "projections": Session(),
    "export": Session(setup=("tracker ingest --db t.db seeds/000_46a520fc1d27543f.txt",)),
    "overview": Session(),
    "feeds": Session(),
    "postgres": Session(needs=("$TRACKER_TEST_POSTGRES",), values=_pg_database),
    "serve": Session(
        setup=("tracker ingest --db talks.db seeds/000_46a520fc1d27543f.txt",), values=_free_port
    ),
    "run": Session(),
    "alerts": Session(
        files={"day1.xml": _feed(DAY1), "day2.xml": _feed(DAY1, DAY2)}, needs=("sqlite3",)
    ),
    "walkthrough": Session(
        files={
            "talks/norland-offer.txt": lambda: _userdata("A1"),
            "talks/norland-offer.txt.meta.json": lambda: (
                _userdata("META") % "norland-vestria-trade"
            ),
            "talks/vestria-reply.txt": lambda: _userdata("A2"),
        }
    ),
}


@dataclass
class Block:
    session: str
    start: int  # offsets of the block's body in the README
    end: int
    commands: list[str]  # as shown, continuation lines included


def blocks(text: str) -> list[Block]:
    found = []
    for match in MARK.finditer(text):
        name, body = match.group(1), match.group(2)
        if name not in SESSIONS:
            raise SystemExit(f"README sample {name!r} has no session in {Path(__file__).name}")
        commands: list[str] = []
        going_on = False
        for line in body.splitlines():
            if going_on:
                commands[-1] += "\n" + line
            elif line.startswith("$ "):
                commands.append(line[2:])
            going_on = bool(commands) and commands[-1].endswith("\\")
        found.append(Block(name, match.start(2), match.end(2), commands))
    return found


class Shell:
    """One bash for a session, fed one command at a time, as a person types them: exports,
    `cd`, background jobs (`&`, `%1`, `wait`) carry over. Each command reads no stdin, and
    what it prints (stdout and stderr, in the order written) is collected in a file."""

    def __init__(self, work: Path, private: Path) -> None:
        self.private = private
        bin_dir = private / "bin"
        bin_dir.mkdir()
        wrapper = bin_dir / "tracker"
        wrapper.write_text(
            f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m tracker.cli.app "$@"\n'
        )
        wrapper.chmod(0o755)
        keep = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL") if k in os.environ}
        env = keep | {
            "PATH": f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(work),
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",  # stdout and stderr interleave as they are written
            "COLUMNS": "80",
            "TZ": "UTC",
        }
        self.bash = subprocess.Popen(
            ["bash", "--norc", "--noprofile"],
            cwd=work,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,  # its own process group: close() ends what it left running
        )
        self.count = 0

    def run(self, command: str) -> str:
        assert self.bash.stdin is not None and self.bash.stdout is not None
        self.count += 1
        out = self.private / f"out.{self.count}"
        self.bash.stdin.write(f"{{\n{command}\n}} > {out} 2>&1 < /dev/null; echo done\n")
        self.bash.stdin.flush()
        ready, _, _ = select.select([self.bash.stdout], [], [], 180)
        if not ready or self.bash.stdout.readline() != "done\n":
            raise SystemExit(f"`{command}` did not finish")
        printed = out.read_text()
        if "Traceback" in printed:
            raise SystemExit(f"`{command}` crashed:\n{printed}")
        return printed

    def close(self) -> None:
        """End the shell and any job a failed sample left behind (a server, a scheduler)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.bash.pid, signal.SIGTERM)
        if self.bash.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self.bash.stdin.close()
        self.bash.wait(timeout=60)


def _shown(text: str, work: Path) -> str:
    return text.replace(str(work), SHOWN_ROOT).replace(str(ROOT), SHOWN_ROOT)


def _workdir(stack: ExitStack) -> Path:
    """A fresh directory whose path is as long as SHOWN_ROOT, so that a table printing it
    keeps its columns when the path is replaced (mkdtemp adds 8 characters to the prefix)."""
    base = Path("/tmp") if Path("/tmp").is_dir() else Path(tempfile.gettempdir())
    prefix = "t" * (len(SHOWN_ROOT) - len(str(base)) - 1 - 8)
    if not prefix:
        raise SystemExit(f"{base} is too long a temporary folder for the samples")
    work = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    stack.callback(shutil.rmtree, work, ignore_errors=True)
    assert len(str(work)) == len(SHOWN_ROOT), work
    return work


def _inputs(work: Path) -> None:
    """Copies, not links: a path printed from them is the directory's, shown as SHOWN_ROOT."""
    shutil.copytree(ROOT / "seeds", work / "seeds")
    shutil.copytree(ROOT / "tests" / "gold" / "articles", work / "tests" / "gold" / "articles")


def run_blocks(name: str, wanted: list[Block]) -> list[str]:
    """Each block's body as its commands print it now, in a fresh directory."""
    if name == "demo":
        return [run_demo() for _ in wanted]
    session = SESSIONS[name]
    with ExitStack() as stack:
        work = _workdir(stack)
        _inputs(work)
        for path, text in session.files.items():
            target = work / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text() if callable(text) else text, encoding="utf-8")
        values = session.values(stack) if session.values else {}
        shell = Shell(work, Path(stack.enter_context(tempfile.TemporaryDirectory())))
        stack.callback(shell.close)
        for line in session.setup:
            shell.run(line)
        bodies = []
        for block in wanted:
            out: list[str] = []
            for command in block.commands:
                out += ["$ " + command.split("\n")[0], *command.split("\n")[1:]]
                real = command
                for shown, value in values.items():
                    real = real.replace(shown, value)
                printed = shell.run(real)
                for shown, value in values.items():
                    printed = printed.replace(value, shown)
                printed = _shown(printed, work).rstrip("\n")
                out += [line.rstrip() for line in printed.splitlines()] if printed else []
            bodies.append("\n".join(out) + "\n")
    return bodies


def demo_commands(makefile: Path = ROOT / "Makefile") -> list[str]:
    """The recipe lines of the Makefile's `demo` target, as make echoes them."""
    lines = makefile.read_text().split("\ndemo: $(STAMP)\n", 1)[1].split("\n\n", 1)[0]
    return [line.strip().replace("$(TRACKER)", ".venv/bin/tracker") for line in lines.splitlines()]


def run_demo() -> str:
    """`$ make demo`, then each command as make echoes it and what it prints."""
    out = ["$ make demo"]
    with ExitStack() as stack:
        work = _workdir(stack)
        _inputs(work)
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
        return _shown("\n".join(out), work) + "\n"


def masked(text: str) -> str:
    for pattern, mask in MASKS:
        text = pattern.sub(mask, text)
    return text


def missing(name: str) -> list[str]:
    """The programs (or environment variables) a session needs that this machine lacks."""
    return [
        need
        for need in SESSIONS[name].needs
        if not (os.environ.get(need[1:]) if need.startswith("$") else shutil.which(need))
    ]


def generate(text: str, only: list[str] | None = None) -> dict[int, str]:
    """Each block's start offset -> its body as printed now (of the sessions named, or all)."""
    found = [b for b in blocks(text) if not only or b.session in only]
    bodies: dict[int, str] = {}
    for name in dict.fromkeys(b.session for b in found):
        mine = [b for b in found if b.session == name]
        if missing(name):
            raise SystemExit(f"sample {name!r} needs {', '.join(missing(name))}")
        for block, body in zip(mine, run_blocks(name, mine), strict=True):
            bodies[block.start] = body
    return bodies


def main() -> None:
    names = [a for a in sys.argv[1:] if not a.startswith("--")]
    text = README.read_text()
    bodies = generate(text, names)
    if "--write" not in sys.argv[1:]:
        sys.stdout.write("\n".join(bodies.values()))
        return
    for block in sorted(blocks(text), key=lambda b: b.start, reverse=True):
        if block.start in bodies:
            text = text[: block.start] + bodies[block.start] + text[block.end :]
    README.write_text(text)
    print(f"wrote {len(bodies)} samples into {README.name}", file=sys.stderr)


if __name__ == "__main__":
    main()

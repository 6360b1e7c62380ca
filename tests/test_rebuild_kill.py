"""`tracker rebuild` killed with -9 while its forked helper works: the helper dies with it
(the kernel kills it), and the next rebuild removes the scratch folder left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from test_projections_checkpoint import fill

from tracker.store import open_store

ROOT = Path(__file__).resolve().parents[1]

SLOW_REBUILD = textwrap.dedent(
    """
    import os, sys, time
    from tracker.projections import readmodel
    from tracker.store import open_store

    parent = os.getpid()
    owns = readmodel.Share.helper_owns

    def slow(self, negotiation):
        if os.getpid() != parent:  # in the forked helper: take long enough to be killed
            time.sleep(60)
        return owns(self, negotiation)

    readmodel.Share.helper_owns = slow
    with open_store(sys.argv[1]) as store:
        print("rebuilding", flush=True)
        readmodel.rebuild(store, parallel=True)
    """
)


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


def test_a_killed_rebuild_leaves_no_helper_and_its_scratch_is_swept(db_path, tmp_path):
    with open_store(db_path) as store:
        fill(store, articles=4)
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_REBUILD, str(db_path)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "rebuilding"
    deadline = time.monotonic() + 30
    while not children(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    [helper] = children(proc.pid)
    scratch = list(tmp_path.glob(f"tracker-rebuild-{proc.pid}-*"))
    assert len(scratch) == 1
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while alive(helper) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(helper), "the helper outlived its killed parent"
    assert scratch[0].exists()  # nobody cleaned up: the parent was killed
    again = subprocess.run(
        [sys.executable, "-m", "tracker.cli.app", "rebuild", "--db", str(db_path)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert not scratch[0].exists()

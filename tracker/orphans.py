"""Helper processes and scratch folders that must not outlive the process that made them,
even when it is killed with -9 and runs no cleanup of its own: a helper asks the kernel to
kill it when its parent dies, and scratch folders carry their owner's pid, so the next start
removes those whose owner is gone."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """In a forked helper: be killed with SIGKILL when the parent dies (Linux); if it has died
    already (between fork and here), go now."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def scratch_dir(prefix: str) -> str:
    """A new temporary folder named for this process: `<prefix><pid>-<random>`."""
    return tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-")


def sweep(prefix: str, root: Path | None = None) -> list[Path]:
    """Remove the scratch folders of `prefix` whose owning process no longer exists."""
    removed = []
    for path in (root or Path(tempfile.gettempdir())).glob(f"{prefix}*"):
        owner = path.name.removeprefix(prefix).split("-", 1)[0]
        if path.is_dir() and owner.isdigit() and not _alive(int(owner)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True

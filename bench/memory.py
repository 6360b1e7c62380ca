"""Peak resident memory of this process and its worker processes together (Linux /proc).

getrusage(RUSAGE_CHILDREN) gives the largest single child, not a sum, so a thread samples
the resident set of this process and every descendant (less the ones named in `skip`, such
as a bench's own HTTP server) and keeps the largest total. A sample every 50 ms can miss a
short peak; the figure is a lower bound.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _rss(pid: int) -> int:
    try:
        return int((Path("/proc") / str(pid) / "statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(root: int, skip: set[int]) -> tuple[int, int]:
    """Bytes resident in `root` and its descendants, and how many processes that was."""
    tree, total, count, todo = _children(), 0, 0, [root]
    while todo:
        pid = todo.pop()
        if pid in skip:
            continue
        total, count = total + _rss(pid), count + 1
        todo.extend(tree.get(pid, []))
    return total, count


class PeakTreeRss:
    """with PeakTreeRss(skip={server_pid}) as peak: ...; then peak.bytes, peak.processes."""

    def __init__(self, skip: set[int] | None = None, every_s: float = 0.05) -> None:
        self.skip = skip or set()
        self.every_s = every_s
        self.bytes = 0
        self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total, count = tree_rss(os.getpid(), self.skip)
            if total > self.bytes:
                self.bytes, self.processes = total, count
            self._stop.wait(self.every_s)

    def __enter__(self) -> PeakTreeRss:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

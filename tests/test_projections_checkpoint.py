"""The checkpoint is written in the same transaction as the read-model rows: a crash before
COMMIT leaves both as they were, and the next catch-up folds each event exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from projection_helpers import SEED_ID, seed_events

from tracker.codec import encode
from tracker.events import ArticleIngested
from tracker.projections import readmodel
from tracker.store import SQLiteEventStore, open_store


def fill(store: SQLiteEventStore, articles: int = 6) -> int:
    """Append the seed's events as several articles; return the number of negotiation events."""
    count = 0
    for n in range(articles):
        article = f"{SEED_ID}-{n}"
        head = ArticleIngested(article_id=article, content_sha256=f"{n:064x}")
        events = [e.model_copy(update={"article_id": article}) for e in seed_events()]
        store.append(f"article-{article}", [encode(head), *map(encode, events)], 0)
        count += len(events)
    return count


def command_lines() -> list[bytes]:
    """The command line of every live process (those that end while read are left out)."""
    found = []
    for path in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            found.append(path.read_bytes())
        except OSError:
            continue
    return found


class Crash(Exception):
    pass


def test_a_failure_before_commit_keeps_the_old_rows_and_checkpoint(store: SQLiteEventStore) -> None:
    folded = fill(store)
    commits = 0

    def crash_on_the_second_commit() -> None:
        nonlocal commits
        commits += 1
        if commits == 2:
            raise Crash

    with pytest.raises(Crash):
        readmodel.catch_up(store, chunk=10, before_commit=crash_on_the_second_commit)
    after_first = readmodel.dump(store)
    assert after_first["checkpoint"] == 10  # the first chunk only
    [status] = after_first["status"].values()
    assert status["position"] <= 10

    readmodel.catch_up(store, chunk=10)
    resumed = readmodel.dump(store)
    [status] = resumed["status"].values()
    assert status["events"] == folded  # nothing folded twice, nothing skipped
    readmodel.rebuild(store)
    assert readmodel.dump(store) == resumed


def test_a_killed_process_leaves_the_read_model_consistent(db_path: Path) -> None:
    with open_store(db_path) as store:
        folded = fill(store)
    script = textwrap.dedent(
        f"""
        import os
        from tracker.projections import readmodel
        from tracker.store import open_store
        calls = []
        def die():
            calls.append(1)
            if len(calls) == 3:
                os._exit(9)  # no cleanup, no rollback: the process just dies mid-transaction
        with open_store({str(db_path)!r}) as store:
            readmodel.catch_up(store, chunk=7, before_commit=die)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == 9, done.stderr
    with open_store(db_path) as store:
        assert readmodel.checkpoint(store) == 14  # two chunks committed, the third lost
        readmodel.catch_up(store)
        resumed = readmodel.dump(store)
        [status] = resumed["status"].values()
        assert status["events"] == folded
        readmodel.rebuild(store)
        assert readmodel.dump(store) == resumed


def test_a_fold_overtaken_by_another_process_starts_again(
    store: SQLiteEventStore, db_path: Path
) -> None:
    folded = fill(store, articles=3)
    overtaken = readmodel._Run(store, 1000, None)  # has read checkpoint 0
    with open_store(db_path) as other:
        readmodel.catch_up(other)  # another process folds everything first
    with pytest.raises(readmodel._Moved):
        overtaken.run()  # its commit sees the moved checkpoint and writes nothing
    assert readmodel.catch_up(store) == 0  # the public entry point starts again: nothing left
    [status] = readmodel.dump(store)["status"].values()
    assert status["events"] == folded


def test_a_rebuild_killed_with_sigkill_leaves_the_old_read_models_and_nothing_behind(
    db_path: Path,
) -> None:
    """`tracker rebuild` once forked a helper and wrote scratch folders under /tmp, which a
    kill -9 left behind (issue 15 §4). A real SIGKILL in the middle of a rebuild now leaves
    the read models as they were, no scratch folder and no process of it alive."""
    with open_store(db_path) as store:
        fill(store)
        readmodel.catch_up(store)
        before = readmodel.dump(store)
    scratch = set(Path(tempfile.gettempdir()).iterdir())
    script = textwrap.dedent(
        f"""
        import sys, time
        from tracker.projections import readmodel
        from tracker.store import open_store
        write_rows = readmodel._Fold.write_rows
        def write_and_wait(self):
            write_rows(self)
            print("mid-rebuild", flush=True)  # rows written, nothing committed: kill here
            time.sleep(60)
        readmodel._Fold.write_rows = write_and_wait
        with open_store({str(db_path)!r}) as store:
            readmodel.rebuild(store, chunk=7)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "mid-rebuild\n"
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    left = [p for p in Path(tempfile.gettempdir()).iterdir() if p not in scratch]
    assert not [p for p in left if p.name.startswith("tracker-")]
    assert [cmd for cmd in command_lines() if str(db_path).encode() in cmd] == []
    with open_store(db_path) as store:
        assert readmodel.dump(store) == before  # the rebuild's rows never committed
        readmodel.rebuild(store)
        assert readmodel.dump(store) == before

"""One build at a time per DATA_DIR: a lock of the project's own, taken at once or not at all.

The lock is an advisory ``flock`` on ``DATA_DIR/releases/.build.lock``. It belongs to the open file, so every
process of a build that inherits the file keeps it: ``release lock -- make ...`` (what ``make build`` runs)
holds it across the world's generation and the whole release build, and it is released by the kernel when the
last of those processes ends, killed or not. A build that finds it taken stops at once with a message naming
the build that holds it; it never waits on DuckDB's own file lock.

``release build`` run inside ``release lock`` finds the inherited file in ``RELEASE_BUILD_LOCK_FD`` and uses
it instead of taking the lock a second time (which would conflict with its own parent).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from repeat_offending.release.layout import Layout, ReleaseError

INHERITED_FD = "RELEASE_BUILD_LOCK_FD"
"""The environment variable naming the descriptor of a lock held by a parent process."""


def _inherited(lock_path: Path) -> int | None:
    """The inherited descriptor of this lock file, if the environment names one that is open on it."""
    value = os.environ.get(INHERITED_FD, "")
    if not value.isdigit():
        return None
    fd = int(value)
    try:
        held, wanted = os.fstat(fd), lock_path.stat()
    except OSError:
        return None
    if (held.st_dev, held.st_ino) != (wanted.st_dev, wanted.st_ino):
        return None
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the same open file: succeeds, confirms we hold it
    return fd


def holder(layout: Layout) -> str:
    """Who holds the lock, as the holder wrote it (pid, command, start time)."""
    try:
        info = json.loads(layout.lock.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "a process that left no description"
    return f"pid {info.get('pid', '?')}, `{info.get('command', '?')}`, started {info.get('started_at', '?')}"


@contextmanager
def build_lock(layout: Layout, command: str) -> Iterator[int]:
    """Hold the build lock of ``layout`` (or confirm an inherited one); raises ReleaseError at once if another
    build holds it. Yields the descriptor, for children that must keep holding it."""
    layout.releases.mkdir(parents=True, exist_ok=True)
    layout.lock.touch(exist_ok=True)
    inherited = _inherited(layout.lock)
    if inherited is not None:
        yield inherited
        return
    fd = os.open(layout.lock, os.O_RDWR)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            published = layout.published()
            raise ReleaseError(
                f"another build is running on {layout.data_dir} ({holder(layout)}); this one stopped before "
                f"changing anything. Published release: {published or 'none'}."
            ) from None
        info = {"pid": os.getpid(), "command": command, "started_at": dt.datetime.now(dt.UTC).isoformat()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        yield fd
    finally:
        os.close(fd)  # releases the lock unless a child still has the file open

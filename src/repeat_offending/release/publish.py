"""Publishing a release (the atomic link), rolling back to an earlier one, and keeping the last N."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from repeat_offending.release import ledger
from repeat_offending.release.layout import Layout, ReleaseError


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(layout: Layout, release_id: str, by: str) -> None:
    """Make ``release_id`` the published release: a new link is made beside ``warehouse.duckdb`` and renamed
    over it, so a reader opening the warehouse finds the old release or the new one, never neither."""
    database = layout.database(release_id)
    if not database.is_file():
        raise ReleaseError(f"release {release_id} has no database ({database} is missing); nothing was changed")
    layout.published()  # refuses a regular file where the link should be
    temporary = layout.data_dir / f".{layout.published_link.name}.{os.getpid()}.new"
    temporary.unlink(missing_ok=True)
    os.symlink(os.path.relpath(database, layout.data_dir), temporary)
    os.replace(temporary, layout.published_link)
    _fsync_folder(layout.data_dir)
    ledger.append(layout.ledger, "published", release_id, by=by)


def rollback(layout: Layout, release_id: str) -> None:
    """Publish an earlier release that passed its checks and is still kept."""
    known = {build.release_id: build for build in ledger.builds(layout.ledger)}
    build = known.get(release_id)
    if build is None:
        raise ReleaseError(f"no release {release_id} in {layout.ledger}; `release list` shows the releases")
    if not build.passed:
        raise ReleaseError(f"release {release_id} did not pass its checks ({build.reason}); it cannot be published")
    if build.pruned or not layout.database(release_id).is_file():
        raise ReleaseError(f"release {release_id} is no longer kept (its files were removed by the retention rule)")
    publish(layout, release_id, by="rollback")


def _remove(layout: Layout, release_id: str) -> None:
    database = layout.database(release_id)
    for path in (database, database.with_name(database.name + ".wal")):
        path.unlink(missing_ok=True)
    for folder in (*layout.spill_folders(release_id), layout.folder(release_id)):
        shutil.rmtree(folder, ignore_errors=True)


def prune(layout: Layout, keep: int, keep_also: str | None = None) -> list[str]:
    """Remove the files of every build the ledger knows except: the ``keep`` newest releases that passed,
    the published release, and ``keep_also`` (the build that just failed, for inspection). Files the ledger
    does not know are never touched. Returns the ids removed."""
    if keep < 1:
        raise ReleaseError(f"releases_to_keep must be at least 1, not {keep}")
    builds = ledger.builds(layout.ledger)
    passed = [build.release_id for build in builds if build.passed]
    kept = set(passed[-keep:]) | {layout.published(), keep_also} - {None}
    removed = []
    for build in builds:
        if build.release_id in kept or build.pruned:
            continue
        if build.outcome is None:  # started and never finished: only the next build may call it abandoned
            continue
        _remove(layout, build.release_id)
        ledger.append(layout.ledger, "pruned", build.release_id)
        removed.append(build.release_id)
    return removed

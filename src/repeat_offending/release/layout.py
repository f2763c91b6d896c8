"""Where a DATA_DIR keeps its releases, and what a release id is."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

PUBLISHED_LINK = "warehouse.duckdb"
"""The link analysts open, in DATA_DIR."""
RELEASES_FOLDER = "releases"
LEDGER_NAME = "releases.jsonl"
LOCK_NAME = ".build.lock"
RELEASE_ID_PATTERN = re.compile(r"^(\d{4}-\d{2}-\d{2}|undated)_\d{8}T\d{6}Z(-\d+)?$")
"""``<extract date>_<build time UTC>``, e.g. ``2025-06-30_20261206T111735Z``; ``-2`` etc. if taken."""


class ReleaseError(Exception):
    """A release operation that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Layout:
    """The release files of one DATA_DIR."""

    data_dir: Path

    @property
    def releases(self) -> Path:
        return self.data_dir / RELEASES_FOLDER

    @property
    def ledger(self) -> Path:
        return self.releases / LEDGER_NAME

    @property
    def lock(self) -> Path:
        return self.releases / LOCK_NAME

    @property
    def published_link(self) -> Path:
        return self.data_dir / PUBLISHED_LINK

    def database(self, release_id: str) -> Path:
        """The release's DuckDB file."""
        return self.releases / f"{release_id}.duckdb"

    def folder(self, release_id: str) -> Path:
        """The release's own files: ``target/`` (dbt's artefacts and docs), ``logs/``, ``research/`` (the
        export), ``reports/`` (the data-quality report)."""
        return self.releases / release_id

    def spill_folders(self, release_id: str) -> list[Path]:
        """Where the build's DuckDB databases spill: the release file's (``<id>.duckdb.tmp``, profiles.yml), the
        linkage evaluation's (``<id>.duckdb.evaluation.tmp`` and ``-pairs``) and the linkage model's
        (``<id>/linkage/tmp``). DuckDB empties them when a database closes; a killed build leaves them full."""
        database = self.database(release_id)
        return [
            database.with_name(database.name + suffix)
            for suffix in (".tmp", ".evaluation.tmp", ".evaluation.tmp-pairs")
        ] + [self.folder(release_id) / "linkage" / "tmp"]

    def latest_build(self) -> str | None:
        """The id of the build that started last (published or not), from the ledger."""
        from repeat_offending.release.ledger import builds

        found = builds(self.ledger)
        return found[-1].release_id if found else None

    def published(self) -> str | None:
        """The id of the published release, or None when nothing is published."""
        link = self.published_link
        if not link.is_symlink():
            if link.exists():
                raise ReleaseError(
                    f"{link} is a file, not the link to a release: this DATA_DIR was built before releases existed. "
                    "Move that file away (it is never deleted or overwritten) and build again."
                )
            return None
        name = Path(os.readlink(link)).name
        return name.removesuffix(".duckdb") if name.endswith(".duckdb") else None


def release_id(extract_date: dt.date | None, built_at: dt.datetime, taken: set[str]) -> str:
    """The id of a new release: the extract date and the build time (UTC), made unique among ``taken``."""
    base = f"{extract_date.isoformat() if extract_date else 'undated'}_{built_at.strftime('%Y%m%dT%H%M%SZ')}"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def raw_extract_date(raw: Path) -> dt.date | None:
    """The latest extract date of the raw files (their ``extracted_at`` column), for the release id only: the
    per-source extract dates the build works with come from the staged data (``linked.extract_dates``). A file
    that cannot be read or has no such column is skipped here; the raw contract reports it."""
    latest: dt.date | None = None
    con = duckdb.connect()
    try:
        for path in sorted(raw.glob("*/*.parquet")):
            try:
                value = con.execute(
                    "select max(try_cast(left(cast(extracted_at as varchar), 10) as date)) from read_parquet(?)",
                    [str(path)],
                ).fetchall()[0][0]
            except duckdb.Error:
                continue
            if value is not None and (latest is None or value > latest):
                latest = value
    finally:
        con.close()
    return latest

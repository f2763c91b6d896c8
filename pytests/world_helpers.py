"""Helpers for the generator tests: make small synthetic worlds and read their raw and truth files.

Worlds are generated in-process with ``justice_world.writer.generate`` (the function behind the
``generate`` command), so a test session pays only for the simulation, not for starting interpreters.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from scipy.stats import rankdata

from justice_world import config as world_config
from justice_world.config import WorldConfig
from justice_world.raw_schema import DATE_FORMATS, TABLES, Table
from justice_world.writer import TRUTH_FILES, generate
from repeat_offending.project import PROJECT_ROOT

PROJECT_SEEDS_DIR = PROJECT_ROOT / "seeds"
"""The dbt project's seeds folder, which the generator is given (``generate --seeds-dir``)."""
SEEDS_DIR = PROJECT_SEEDS_DIR / "reference"


@dataclass(frozen=True)
class World:
    """A generated world: its parameters, manifest and files."""

    config: WorldConfig
    manifest: dict[str, object]

    @property
    def data_dir(self) -> Path:
        return self.config.data_dir

    def raw_path(self, spec: Table) -> Path:
        return self.data_dir / "raw" / spec.system / f"{spec.name}.parquet"

    def truth_path(self, name: str) -> Path:
        return self.data_dir / "truth" / f"{name}.parquet"

    def raw(self, spec: Table) -> pa.Table:
        return _read(self.raw_path(spec))

    def truth(self, name: str) -> pa.Table:
        return _read(self.truth_path(name))

    def sql_raw(self, spec: Table) -> str:
        """A DuckDB table expression for a raw file, with its 0-based row number as ``file_row_number``."""
        return f"read_parquet('{self.raw_path(spec).as_posix()}', file_row_number = true)"

    def sql_truth(self, name: str) -> str:
        return f"read_parquet('{self.truth_path(name).as_posix()}')"

    def defects(self, spec: Table) -> pa.Table:
        defects = self.truth("defects")
        mask = np.asarray(defects.column("source_table").to_numpy(zero_copy_only=False) == spec.source_table)
        return defects.filter(pa.array(mask))


@cache
def _read(path: Path) -> pa.Table:
    return pq.read_table(path)


def generate_world(data_dir: Path, **parameters: object) -> World:
    """Generate a world into ``data_dir`` (2 workers, no progress bar unless overridden)."""
    settings: dict[str, object] = {"workers": 2, "progress": False, **parameters}
    cfg = WorldConfig(data_dir=data_dir, **settings)  # type: ignore[arg-type]
    manifest = generate(cfg, PROJECT_SEEDS_DIR)
    return World(config=cfg, manifest=manifest)


@contextlib.contextmanager
def chunk_size(size: int) -> Iterator[None]:
    """Simulate people in chunks of ``size`` instead of the generator's fixed 100,000, so that a world of a
    few thousand people spans several chunks (and several worker processes). Worker processes are forked,
    so they see the patched value."""
    original = world_config.CHUNK_SIZE
    world_config.CHUNK_SIZE = size
    try:
        yield
    finally:
        world_config.CHUNK_SIZE = original


def file_digests(data_dir: Path) -> dict[str, str]:
    """sha256 of every file under raw/ and truth/, by path relative to ``data_dir``."""
    digests = {}
    for folder in ("raw", "truth"):
        for path in sorted((data_dir / folder).rglob("*")):
            if path.is_file():
                digests[path.relative_to(data_dir).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman rank correlation (average ranks for ties)."""
    rx, ry = rankdata(x), rankdata(y)
    return float(np.corrcoef(rx, ry)[0, 1])


def parse_system_date(text: str | None, system: str) -> dt.date | None:
    """A raw date in its system's format, or None when blank or unparseable."""
    if text is None or not text.strip():
        return None
    try:
        return dt.datetime.strptime(text, DATE_FORMATS[system]).date()
    except ValueError:
        return None


def seed_values(file_name: str, column: str) -> set[str]:
    """The values of one column of a reference seed (CSV in seeds/reference)."""
    con = duckdb.connect()
    try:
        path = (SEEDS_DIR / file_name).as_posix()
        rows = con.execute(f"select distinct {column} from read_csv('{path}', all_varchar = true)").fetchall()
    finally:
        con.close()
    return {r[0] for r in rows if r[0] is not None}


def manifest_from_disk(world: World) -> dict[str, object]:
    return json.loads((world.data_dir / "raw" / "_manifest.json").read_text())


def person_tables() -> list[Table]:
    return [t for t in TABLES if t.identifies_person]


__all__ = [
    "SEEDS_DIR",
    "TABLES",
    "TRUTH_FILES",
    "World",
    "chunk_size",
    "file_digests",
    "generate_world",
    "manifest_from_disk",
    "parse_system_date",
    "person_tables",
    "seed_values",
    "spearman",
]

"""Generation of a whole world: chunks of people simulated in worker processes, written in order.

Each chunk is simulated and extracted independently (its random streams are keyed by chunk), so the output
does not depend on the number of workers. The parent process appends each chunk's tables to one Parquet file
per table, in chunk order, and keeps the row offsets that turn chunk positions into file positions for the
list of injected defects.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from . import GENERATOR_VERSION
from .careers import simulate_chunk
from .config import WorldConfig
from .defects import DefectInjector, expected_action
from .extract import HIDDEN, ChunkExtractor
from .population import WorldPlan, make_people, plan_world
from .raw_schema import TABLES
from .reference import load_reference
from .truth import index_events, people, person_records, proven_offences

TRUTH_FILES = ("person_records", "people", "proven_offences", "index_events", "defects")
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 1, "write_statistics": True}


@dataclass
class ChunkResult:
    """A finished chunk: its tables wait in Arrow IPC files (memory-mapped by the parent, which is much
    cheaper than pickling tables between processes)."""

    chunk: int
    files: dict[str, Path]  # "raw:<source_table>" / "truth:<name>" -> IPC file
    defects: dict[str, list[tuple[int, str, str]]]
    seconds: float

    def table(self, key: str) -> pa.Table:
        with pa.memory_map(str(self.files[key])) as source:
            return pa.ipc.open_file(source).read_all()

    def discard(self) -> None:
        for path in self.files.values():
            path.unlink(missing_ok=True)


def _spill(folder: Path, chunk: int, key: str, table: pa.Table) -> Path:
    path = folder / f"{chunk:05d}-{key.replace(':', '-')}.arrow"
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return path


_PLAN: WorldPlan | None = None
_CFG: WorldConfig | None = None


def _init_worker(cfg: WorldConfig, plan: WorldPlan) -> None:
    global _PLAN, _CFG
    _PLAN, _CFG = plan, cfg


def build_chunk(chunk: int) -> ChunkResult:
    """Simulate and extract one chunk of people (runs in a worker process)."""
    assert _CFG is not None and _PLAN is not None
    cfg, plan = _CFG, _PLAN
    started = time.perf_counter()
    ref = load_reference()
    chunk_people = make_people(cfg, ref, plan, chunk)
    world = simulate_chunk(cfg, ref, chunk_people, chunk)
    con = duckdb.connect(config={"threads": 1})
    try:
        tables = ChunkExtractor(cfg, ref, world, chunk, con).run().tables
    finally:
        con.close()
    injector = DefectInjector(cfg.seed, cfg.bad_row_rate, cfg.data_as_of.year)
    raw: dict[str, pa.Table] = {}
    defects: dict[str, list[tuple[int, str, str]]] = {}
    for name, table in tables.items():
        broken, report = injector.apply(name, table)
        raw[name] = broken.drop_columns([c for c in broken.column_names if c in HIDDEN or c == "_defect"])
        defects[name] = report
    seen = np.unique(np.concatenate([t.column("_person").to_numpy() for t in tables.values()]))
    truth = {
        "person_records": person_records(tables, world),
        "people": people(cfg, ref, world, seen),
        "proven_offences": proven_offences(cfg, ref, world),
        "index_events": index_events(cfg, ref, world),
    }
    spill = cfg.data_dir / ".chunks"
    files = {f"raw:{name}": _spill(spill, chunk, f"raw:{name}", table) for name, table in raw.items()}
    files.update({f"truth:{name}": _spill(spill, chunk, f"truth:{name}", table) for name, table in truth.items()})
    return ChunkResult(chunk=chunk, files=files, defects=defects, seconds=time.perf_counter() - started)


def _results(cfg: WorldConfig, plan: WorldPlan) -> Iterator[ChunkResult]:
    chunks = range(cfg.n_chunks)
    if cfg.workers <= 1 or cfg.n_chunks == 1:
        _init_worker(cfg, plan)
        yield from map(build_chunk, chunks)
        return
    context = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with context.Pool(
        min(cfg.workers, cfg.n_chunks), initializer=_init_worker, initargs=(cfg, plan), maxtasksperchild=20
    ) as pool:
        yield from pool.imap(build_chunk, chunks)


def _progress(total: int, enabled: bool) -> object:
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="chunk", desc="simulating", file=sys.stderr, dynamic_ncols=True)


def generate(cfg: WorldConfig) -> dict[str, object]:
    """Generate the world described by ``cfg`` into ``cfg.data_dir``; returns the manifest."""
    started = time.perf_counter()
    load_reference()  # fail early on missing reference data, before forking
    raw_dir = cfg.data_dir / "raw"
    truth_dir = cfg.data_dir / "truth"
    spill = cfg.data_dir / ".chunks"
    for folder in (raw_dir, truth_dir, spill):
        if folder.exists():
            shutil.rmtree(folder)
    spill.mkdir(parents=True)
    for spec in TABLES:
        (raw_dir / spec.system).mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    plan = plan_world(cfg)
    writers: dict[str, pq.ParquetWriter] = {}
    rows = {spec.source_table: 0 for spec in TABLES}
    truth_rows = dict.fromkeys(TRUTH_FILES, 0)
    defect_rows: dict[str, list[np.ndarray]] = {k: [] for k in ("source_table", "position", "type", "column")}
    bar = _progress(cfg.n_chunks, cfg.progress)
    try:
        for result in _results(cfg, plan):
            for spec in TABLES:
                name = spec.source_table
                table = result.table(f"raw:{name}")
                key = f"raw:{name}"
                if key not in writers:
                    writers[key] = pq.ParquetWriter(
                        raw_dir / spec.system / f"{spec.name}.parquet", table.schema, **PARQUET_OPTIONS
                    )
                writers[key].write_table(table)
                report = result.defects[name]
                if report:
                    defect_rows["source_table"].append(np.full(len(report), name, dtype=object))
                    defect_rows["position"].append(np.array([r[0] for r in report]) + rows[name])
                    defect_rows["type"].append(np.array([r[1] for r in report], dtype=object))
                    defect_rows["column"].append(np.array([r[2] for r in report], dtype=object))
                rows[name] += table.num_rows
            for name in TRUTH_FILES[:-1]:
                key = f"truth:{name}"
                table = result.table(key)
                if key not in writers:
                    writers[key] = pq.ParquetWriter(truth_dir / f"{name}.parquet", table.schema, **PARQUET_OPTIONS)
                writers[key].write_table(table)
                truth_rows[name] += table.num_rows
            result.discard()
            if bar is not None:
                bar.update(1)  # type: ignore[attr-defined]
    finally:
        for writer in writers.values():
            writer.close()
        if bar is not None:
            bar.close()  # type: ignore[attr-defined]
    shutil.rmtree(spill, ignore_errors=True)
    defects = _defects_table(defect_rows)
    pq.write_table(defects, truth_dir / "defects.parquet", **PARQUET_OPTIONS)
    truth_rows["defects"] = defects.num_rows
    manifest = {
        "generator": "repeat_offending.synthetic",
        "generator_version": GENERATOR_VERSION,
        **cfg.manifest_parameters(),
        "row_counts": rows,
        "truth_row_counts": truth_rows,
        "tables": {spec.source_table: f"raw/{spec.system}/{spec.name}.parquet" for spec in TABLES},
    }
    (raw_dir / "_manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    manifest["seconds"] = round(time.perf_counter() - started, 1)
    return manifest


def _defects_table(parts: dict[str, list[np.ndarray]]) -> pa.Table:
    def joined(key: str, dtype: type) -> np.ndarray:
        return np.concatenate(parts[key]) if parts[key] else np.array([], dtype=dtype)

    types = joined("type", object)
    return pa.table(
        {
            "source_table": pa.array(joined("source_table", object), pa.string()),
            "source_row_number": pa.array(joined("position", np.int64), pa.int64()),
            "defect_type": pa.array(types, pa.string()),
            "expected_action": pa.array([expected_action(t) for t in types], pa.string()),
            "column_name": pa.array(joined("column", object), pa.string()),
        }
    )

"""Generation of a whole world: chunks of people simulated in worker processes, then written table by table.

Each chunk is simulated and extracted independently (its random streams are keyed by chunk), so the output
does not depend on the number of workers. Workers hand their tables over as Arrow IPC files (memory-mapped
by the parent, much cheaper than pickling). Ground truth is appended as chunks arrive; each raw table is
written at the end in one global order, by the day each record was made and then by a keyed pseudo-random
number of the record, so that no file shows which records were simulated together. The positions of
injected defects are read off that final order.
"""

from __future__ import annotations

import itertools
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
from .ownership import GENERATOR_NAME, check_owned, write_marker
from .population import WorldPlan, make_people, plan_world
from .raw_schema import TABLES
from .reference import Reference, load_reference
from .truth import index_events, people, person_records, proven_offences

TRUTH_FILES = ("person_records", "people", "proven_offences", "index_events", "defects")
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 1, "write_statistics": True}
ORDER_COLUMNS = ("_sort_day", "_sort_key", "_defect", "_defect_column")
WRITE_BATCH_ROWS = 1_000_000


@dataclass
class ChunkResult:
    """A finished chunk: its tables wait in Arrow IPC files in the spill folder."""

    chunk: int
    files: dict[str, Path]  # "raw:<source_table>" / "truth:<name>" -> IPC file
    seconds: float


def _read_ipc(path: Path) -> pa.Table:
    with pa.memory_map(str(path)) as source:
        return pa.ipc.open_file(source).read_all()


def _spill(folder: Path, chunk: int, key: str, table: pa.Table) -> Path:
    path = folder / f"{chunk:05d}-{key.replace(':', '-')}.arrow"
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return path


def _year(day: np.ndarray) -> np.ndarray:
    return np.asarray(day, dtype=np.int64).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _spill_by_year(folder: Path, chunk: int, key: str, table: pa.Table) -> Path:
    """Spill a raw table in the global order (day made, then keyed number), one record batch per calendar
    year, so the writer can merge all chunks one year at a time. The stable sort keeps an injected copy
    next to its original."""
    day = table.column("_sort_day").to_numpy()
    order = np.lexsort((table.column("_sort_key").to_numpy(), day))
    table = table.take(pa.array(order))
    years = _year(day[order])
    path = folder / f"{chunk:05d}-{key.replace(':', '-')}.arrow"
    bounds = np.flatnonzero(np.r_[True, years[1:] != years[:-1], True]) if len(years) else np.array([0])
    batch_years = [int(years[b]) for b in bounds[:-1]]
    schema = table.schema.with_metadata({b"years": json.dumps(batch_years).encode()})
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
        for start, end in itertools.pairwise(bounds):
            writer.write_batch(table.slice(start, end - start).combine_chunks().to_batches()[0])
    return path


_PLAN: WorldPlan | None = None
_CFG: WorldConfig | None = None
_REF: Reference | None = None


def _init_worker(cfg: WorldConfig, plan: WorldPlan, ref: Reference) -> None:
    global _PLAN, _CFG, _REF
    _PLAN, _CFG, _REF = plan, cfg, ref


def build_chunk(chunk: int) -> ChunkResult:
    """Simulate and extract one chunk of people (runs in a worker process)."""
    assert _CFG is not None and _PLAN is not None and _REF is not None
    cfg, plan, ref = _CFG, _PLAN, _REF
    started = time.perf_counter()
    chunk_people = make_people(cfg, ref, plan, chunk)
    world = simulate_chunk(cfg, ref, chunk_people, chunk)
    con = duckdb.connect(config={"threads": 1})
    try:
        tables = ChunkExtractor(cfg, ref, world, chunk, con).run().tables
    finally:
        con.close()
    injector = DefectInjector(cfg.seed, cfg.bad_row_rate, cfg.data_as_of.year)
    spill = cfg.data_dir / ".chunks"
    files: dict[str, Path] = {}
    for name, table in tables.items():
        broken = injector.apply(name, table)
        part = broken.drop_columns([c for c in HIDDEN if c in broken.column_names])
        files[f"raw:{name}"] = _spill_by_year(spill, chunk, f"raw:{name}", part)
    seen = np.unique(np.concatenate([t.column("_person").to_numpy() for t in tables.values()]))
    truth = {
        "person_records": person_records(tables, world),
        "people": people(cfg, ref, world, seen),
        "proven_offences": proven_offences(cfg, ref, world),
        "index_events": index_events(cfg, ref, world),
    }
    files.update({f"truth:{name}": _spill(spill, chunk, f"truth:{name}", t) for name, t in truth.items()})
    return ChunkResult(chunk=chunk, files=files, seconds=time.perf_counter() - started)


def _results(cfg: WorldConfig, plan: WorldPlan, ref: Reference) -> Iterator[ChunkResult]:
    chunks = range(cfg.n_chunks)
    if cfg.workers <= 1 or cfg.n_chunks == 1:
        _init_worker(cfg, plan, ref)
        yield from map(build_chunk, chunks)
        return
    context = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with context.Pool(
        min(cfg.workers, cfg.n_chunks), initializer=_init_worker, initargs=(cfg, plan, ref), maxtasksperchild=20
    ) as pool:
        yield from pool.imap(build_chunk, chunks)


def _progress(total: int, enabled: bool, desc: str) -> object:
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="step", desc=desc, file=sys.stderr, dynamic_ncols=True)


def _write_raw_table(parts: list[Path], path: Path) -> tuple[int, pa.Table]:
    """Write one raw table from its chunk parts in the global order, one calendar year at a time (memory
    stays at one year of one table); return its row count and the positions of its defects."""
    readers = [pa.ipc.open_file(pa.OSFile(str(p))) for p in parts]
    batch_of_year = [{year: i for i, year in enumerate(json.loads(r.schema.metadata[b"years"]))} for r in readers]
    years = sorted({year for mapping in batch_of_year for year in mapping})
    schema = readers[0].schema.remove_metadata()
    data_columns = [c for c in schema.names if c not in ORDER_COLUMNS]
    written = 0
    defects: list[pa.Table] = []
    data_schema = pa.schema([schema.field(c) for c in data_columns])
    with pq.ParquetWriter(path, data_schema, **PARQUET_OPTIONS) as writer:
        for year in years:
            batches = [r.get_batch(m[year]) for r, m in zip(readers, batch_of_year, strict=True) if year in m]
            table = pa.Table.from_batches([b.replace_schema_metadata(None) for b in batches], schema=schema)
            order = np.lexsort((table.column("_sort_key").to_numpy(), table.column("_sort_day").to_numpy()))
            table = table.take(pa.array(order))
            writer.write_table(table.select(data_columns))
            defect = table.column("_defect").to_numpy(zero_copy_only=False)
            rows = np.flatnonzero(defect != None)  # noqa: E711
            column = table.column("_defect_column").to_numpy(zero_copy_only=False)[rows]
            defects.append(
                pa.table(
                    {
                        "source_row_number": pa.array(rows + written, pa.int64()),
                        "defect_type": pa.array(defect[rows], pa.string()),
                        "column_name": pa.array(np.where(column == None, "", column), pa.string()),  # noqa: E711
                    }
                )
            )
            written += table.num_rows
    empty = pa.table(
        {
            "source_row_number": pa.array([], pa.int64()),
            "defect_type": pa.array([], pa.string()),
            "column_name": pa.array([], pa.string()),
        }
    )
    return written, pa.concat_tables([empty, *defects])


def generate(cfg: WorldConfig, seeds_dir: Path) -> dict[str, object]:
    """Generate the world described by ``cfg`` into ``cfg.data_dir``, with the reference data of the dbt
    project's seeds folder ``seeds_dir``; returns the manifest. Raises FolderNotOwnedError, having touched
    nothing, when ``raw/`` or ``truth/`` exists without the generator's marker (see ``ownership``), and
    SeedNotFoundError when a seed is missing from ``seeds_dir``."""
    started = time.perf_counter()
    ref = load_reference(seeds_dir.resolve())  # fail early on missing reference data, before forking
    raw_dir = cfg.data_dir / "raw"
    truth_dir = cfg.data_dir / "truth"
    spill = cfg.data_dir / ".chunks"
    # Only folders this generator wrote may be cleared (a real extract never is): raises FolderNotOwnedError
    # before anything is deleted. The markers are written first, so an interrupted run can be redone.
    check_owned(cfg.data_dir)
    for folder in (raw_dir, truth_dir, spill):
        if folder.exists():
            shutil.rmtree(folder)
    write_marker(raw_dir)
    write_marker(truth_dir)
    spill.mkdir(parents=True)
    for spec in TABLES:
        (raw_dir / spec.system).mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    plan = plan_world(cfg)
    truth_writers: dict[str, pq.ParquetWriter] = {}
    truth_rows = dict.fromkeys(TRUTH_FILES, 0)
    raw_parts: dict[str, list[Path]] = {spec.source_table: [] for spec in TABLES}
    bar = _progress(cfg.n_chunks + len(TABLES), cfg.progress, "generating")
    try:
        for result in _results(cfg, plan, ref):
            for name in TRUTH_FILES[:-1]:
                path = result.files[f"truth:{name}"]
                table = _read_ipc(path)
                if name not in truth_writers:
                    truth_writers[name] = pq.ParquetWriter(
                        truth_dir / f"{name}.parquet", table.schema, **PARQUET_OPTIONS
                    )
                truth_writers[name].write_table(table)
                truth_rows[name] += table.num_rows
                path.unlink()
            for spec in TABLES:
                raw_parts[spec.source_table].append(result.files[f"raw:{spec.source_table}"])
            if bar is not None:
                bar.update(1)  # type: ignore[attr-defined]
        for writer in truth_writers.values():
            writer.close()
        simulated = time.perf_counter()
        rows: dict[str, int] = {}
        defect_parts = []
        for spec in TABLES:
            count, defects = _write_raw_table(
                raw_parts[spec.source_table], raw_dir / spec.system / f"{spec.name}.parquet"
            )
            rows[spec.source_table] = count
            defect_parts.append(
                defects.append_column("source_table", pa.array([spec.source_table] * defects.num_rows, pa.string()))
            )
            for part in raw_parts[spec.source_table]:
                part.unlink()
            if bar is not None:
                bar.update(1)  # type: ignore[attr-defined]
    finally:
        for writer in truth_writers.values():
            writer.close()
        if bar is not None:
            bar.close()  # type: ignore[attr-defined]
        shutil.rmtree(spill, ignore_errors=True)
    defects = pa.concat_tables(defect_parts)
    defects = defects.select(["source_table", "source_row_number", "defect_type", "column_name"])
    actions = pa.array([expected_action(t) for t in defects.column("defect_type").to_pylist()], pa.string())
    defects = defects.add_column(3, "expected_action", actions)
    pq.write_table(defects, truth_dir / "defects.parquet", **PARQUET_OPTIONS)
    truth_rows["defects"] = defects.num_rows
    parameters = cfg.manifest_parameters()
    manifest = {
        "generator": GENERATOR_NAME,
        "generator_version": GENERATOR_VERSION,
        **parameters,
        "row_counts": rows,
        "tables": {spec.source_table: f"raw/{spec.system}/{spec.name}.parquet" for spec in TABLES},
    }
    (raw_dir / "_manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    truth_manifest = {"generator_version": GENERATOR_VERSION, **parameters, "row_counts": truth_rows}
    (truth_dir / "_manifest.json").write_text(json.dumps(truth_manifest, indent=2, sort_keys=True) + "\n")
    manifest["truth_row_counts"] = truth_rows
    manifest["seconds"] = round(time.perf_counter() - started, 1)
    manifest["seconds_simulating"] = round(simulated - started, 1)
    return manifest

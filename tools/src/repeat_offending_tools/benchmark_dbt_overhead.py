"""What dbt itself costs: `dbt build` against the same compiled SQL run as one script without dbt, back to back.

On a world or extract in ``--data-dir``, into a scratch folder (``<data dir>/benchmark/dbt-overhead``; no
release is touched):

1. ``dbt seed`` (not timed), then ``dbt build --exclude resource_type:unit_test`` (timed, wall clock) into a new
   database, target ``ci``, as a first release (no previous release attached). Unit tests are dbt's own
   fixtures, not the pipeline's work, so both sides leave them out.
2. The script: a new DuckDB connection set up as dbt's is (the ``ci`` profile's memory limit and spill folder,
   the release file attached as ``warehouse``, the project's dbt-duckdb plugins: the pseudonym key, the raw
   file check, transliteration), the seeds copied from step 1 (not timed), then every node of step 1's run
   results in the order dbt started them: a SQL model as ``create or replace table|view <relation> as
   <compiled SQL>``, a data test as ``select count(*) from (<compiled SQL>)``. What is not SQL in the manifest
   (the two Python linkage models, the snapshots, the seeds dbt build loads again, the on-run-end hooks) is
   copied from step 1 outside the clock and counted at the time dbt took for it, the same work on both sides.

Prints and writes (``dbt_overhead.json``, ``dbt_overhead.md``) both times and their ratio, dbt's time over the
script's. The script runs one statement at a time; dbt runs two nodes at a time (``threads: 2``), so the ratio
includes what dbt's parallelism gains as well as what its parsing, compiling, metadata queries and
artefacts cost.

Usage: benchmark-dbt-overhead --data-dir DIR [--output DIR] [--memory-limit 8GB]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from repeat_offending.dbt_plugins import raw_files, research_pseudonym_key, transliteration
from repeat_offending.project import PROJECT_ROOT, memory_limit

DBT = str(Path(sys.executable).with_name("dbt"))
NOT_REPLAYED = ("seed", "snapshot", "operation", "exposure")
"""Node kinds whose work is not compiled SQL in the manifest: counted at dbt's time on both sides."""


@dataclass
class Overhead:
    data_dir: str
    dbt_seconds: float
    script_seconds: float
    replayed_statements: int
    replayed_seconds: float
    borrowed_nodes: int
    borrowed_seconds: float
    """Nodes not replayed (Python models, snapshots, seeds, hooks), counted at dbt's own time for them."""
    dbt_node_seconds: float
    """The sum of dbt's node times (above its wall time where it ran two at once)."""

    @property
    def ratio(self) -> float:
        return self.dbt_seconds / self.script_seconds if self.script_seconds else float("nan")


def run_dbt(arguments: Sequence[str], database: Path, folder: Path, data_dir: Path) -> float:
    """Run dbt on target ci into ``database``; its wall time. Fails loudly."""
    environment = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "RELEASE_DATABASE": str(database),
        "PREVIOUS_RELEASE_DATABASE": "",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    started = time.perf_counter()
    result = subprocess.run(
        [DBT, *arguments, "--target", "ci", "--profiles-dir", str(PROJECT_ROOT), "--project-dir", str(PROJECT_ROOT),
         "--target-path", str(folder / "target"), "--log-path", str(folder / "logs")],
        cwd=PROJECT_ROOT, env=environment, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"dbt {' '.join(arguments)} failed (exit status {result.returncode})")
    return seconds


def node_seconds(result: dict[str, Any]) -> float:
    return float(result.get("execution_time") or 0.0)


def started_at(result: dict[str, Any]) -> str:
    return min((t["started_at"] for t in result.get("timing", []) if t.get("started_at")), default="")


def script_connection(database: Path, memory_limit: str) -> duckdb.DuckDBPyConnection:
    """A connection as the ci profile makes it: in memory, the release file attached as ``warehouse``, the
    memory limit, spill beside the file, the project's plugins."""
    con = duckdb.connect(":memory:")
    con.execute(f"set memory_limit = '{memory_limit}'")
    con.execute(f"set temp_directory = '{database.as_posix()}.tmp'")
    con.execute(f"attach '{database.as_posix()}' as warehouse")
    con.execute("use warehouse")
    for module in (research_pseudonym_key, raw_files, transliteration):
        module.Plugin(module.__name__, {}).configure_connection(con)
    return con


def copy_relation(con: duckdb.DuckDBPyConnection, relation: str) -> None:
    """Copy one table of the dbt side (attached as ``dbt_side``) into the script's warehouse."""
    catalog, schema, name = relation.split(".")
    con.execute(f"create schema if not exists {catalog}.{schema}")
    con.execute(f"create or replace table {relation} as select * from dbt_side.{schema}.{name}")


def replay(
    con: duckdb.DuckDBPyConnection, manifest: dict[str, Any], run_results: dict[str, Any]
) -> tuple[int, float, int, float]:
    """Run every node of the build in the order dbt started it: (statements, their seconds, nodes borrowed,
    dbt's seconds for those)."""
    statements = borrowed = 0
    replayed_seconds = borrowed_seconds = 0.0
    for result in sorted(run_results["results"], key=started_at):
        unique_id = result["unique_id"]
        kind = unique_id.split(".")[0]
        node = manifest["nodes"].get(unique_id, {})
        language = node.get("language")
        relation = node.get("relation_name")
        if kind in NOT_REPLAYED or (kind == "model" and language != "sql"):
            if relation and kind in ("seed", "snapshot", "model"):
                copy_relation(con, relation.replace('"', ""))
            borrowed += 1
            borrowed_seconds += node_seconds(result)
            continue
        code = node.get("compiled_code")
        if not code:
            raise SystemExit(f"{unique_id}: no compiled SQL in the manifest")
        if kind == "model":
            catalog, schema, _ = relation.replace('"', "").split(".")
            materialized = node["config"]["materialized"]
            if materialized not in ("table", "view"):
                raise SystemExit(f"{unique_id}: materialization {materialized} is not replayed")
            con.execute(f"create schema if not exists {catalog}.{schema}")
            statement = f"create or replace {materialized} {relation} as {code}"
        elif kind == "test":
            statement = f"select count(*) from ({code}) as dbt_internal_test"
        else:
            raise SystemExit(f"{unique_id}: a {kind} is not replayed")
        started = time.perf_counter()
        con.execute(statement).fetchall()
        replayed_seconds += time.perf_counter() - started
        statements += 1
    return statements, replayed_seconds, borrowed, borrowed_seconds


def markdown(result: Overhead) -> str:
    return (
        "| | time |\n| --- | ---: |\n"
        f"| `dbt build` (no unit tests), wall | {result.dbt_seconds:,.1f} s |\n"
        f"| the same SQL as one script | {result.script_seconds:,.1f} s |\n"
        f"| of which replayed ({result.replayed_statements:,} statements) | {result.replayed_seconds:,.1f} s |\n"
        f"| of which at dbt's time ({result.borrowed_nodes} nodes: Python models, snapshots, seeds, hooks) "
        f"| {result.borrowed_seconds:,.1f} s |\n"
        f"| dbt's node times, summed | {result.dbt_node_seconds:,.1f} s |\n"
        f"| **ratio dbt / script** | **{result.ratio:.2f}** |\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--memory-limit", default=memory_limit())
    args = parser.parse_args(argv)
    data_dir = args.data_dir.resolve()
    folder = (args.output or data_dir / "benchmark" / "dbt-overhead").resolve()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    dbt_database, script_database = folder / "dbt.duckdb", folder / "script.duckdb"
    os.environ["DUCKDB_MEMORY_LIMIT"] = args.memory_limit

    run_dbt(["seed"], dbt_database, folder, data_dir)
    print("== dbt build (timed)", flush=True)
    dbt_seconds = run_dbt(["build", "--exclude", "resource_type:unit_test"], dbt_database, folder, data_dir)
    manifest = json.loads((folder / "target" / "manifest.json").read_text())
    run_results = json.loads((folder / "target" / "run_results.json").read_text())

    print("== the same SQL as one script (timed)", flush=True)
    con = script_connection(script_database, args.memory_limit)
    try:
        con.execute(f"attach '{dbt_database.as_posix()}' as dbt_side (read_only)")
        started = time.perf_counter()
        statements, replayed_seconds, borrowed, borrowed_seconds = replay(con, manifest, run_results)
        elapsed = time.perf_counter() - started
    finally:
        con.close()
    print(f"   {statements:,} statements in {replayed_seconds:,.1f} s ({elapsed:,.1f} s with the copies)", flush=True)
    result = Overhead(
        data_dir=str(data_dir),
        dbt_seconds=dbt_seconds,
        script_seconds=replayed_seconds + borrowed_seconds,
        replayed_statements=statements,
        replayed_seconds=replayed_seconds,
        borrowed_nodes=borrowed,
        borrowed_seconds=borrowed_seconds,
        dbt_node_seconds=sum(node_seconds(r) for r in run_results["results"]),
    )
    (folder / "dbt_overhead.json").write_text(json.dumps({**asdict(result), "ratio": result.ratio}, indent=2) + "\n")
    table = markdown(result)
    (folder / "dbt_overhead.md").write_text(table)
    print("\n" + table, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

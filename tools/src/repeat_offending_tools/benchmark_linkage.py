"""Benchmark of person linkage: time and peak memory of the linkage models on a generated world.

Runs, on DATA_DIR (generated beforehand, e.g. `generate --people 1000000 --data-dir /tmp/linkage-1m`):
`dbt seed` and the staging models (not timed), then `dbt run --select tag:linkage` (the linkage input, the
deterministic rules, the Splink model and the clustering), timed, with the peak memory of the process tree
sampled every 0.2 s. Prints a Markdown table and checks the target (1 million people in at most 3 minutes);
above 1 million people (national scale is 10 million) the figure is reported without a target.

Memory: the warehouse's DuckDB connection is bounded by DUCKDB_MEMORY_LIMIT and the linkage model's own
database by LINKAGE_MEMORY_LIMIT (see profiles.yml and models/linkage/_linkage__models.yml).

Usage: benchmark-linkage DATA_DIR [--target ci] [--limit-seconds 180] [--staged]
       (--staged: the database already holds the seeds and staging models, e.g. from an earlier run)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from repeat_offending.project import PROJECT_ROOT
from repeat_offending.world_manifest import parameters, read_manifest
from repeat_offending_tools.benchmark_pipeline import tree_rss

ROOT = PROJECT_ROOT
DBT = str(Path(sys.executable).with_name("dbt"))


def _peak_rss(process: subprocess.Popen[bytes], samples: list[int], stop: threading.Event) -> None:
    parent = psutil.Process(process.pid)
    while not stop.is_set():
        samples.append(tree_rss(parent))
        stop.wait(0.2)


def run(args: list[str], env: dict[str, str], timed: bool = False) -> tuple[float, int]:
    started = time.perf_counter()
    process = subprocess.Popen([DBT, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    samples: list[int] = []
    stop = threading.Event()
    sampler = threading.Thread(target=_peak_rss, args=(process, samples, stop), daemon=True)
    if timed:
        sampler.start()
    code = process.wait()
    stop.set()
    if code != 0:
        raise SystemExit(f"dbt {' '.join(args)} failed with exit code {code}")
    return time.perf_counter() - started, max(samples, default=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--target", default="ci")
    parser.add_argument("--limit-seconds", type=float, default=180.0)
    parser.add_argument("--staged", action="store_true", help="skip dbt seed and the staging models")
    args = parser.parse_args(argv)
    data_dir = args.data_dir.resolve()
    # A release target outside `release build` writes the file RELEASE_DATABASE names (profiles.yml).
    database = data_dir / "benchmark_linkage.duckdb"
    env = {**os.environ, "DATA_DIR": str(data_dir), "RELEASE_DATABASE": str(database)}
    common = [
        "--profiles-dir",
        ".",
        "--target",
        args.target,
        "--target-path",
        str(data_dir / "target"),
        "--log-path",
        str(data_dir / "logs"),
    ]
    manifest = parameters(read_manifest(data_dir / "raw"))
    if not args.staged:
        run(["seed", *common], env)
        run(["run", "--select", "staging", *common], env)
    seconds, peak = run(["run", "--select", "tag:linkage", *common], env, timed=True)
    results = json.loads((data_dir / "target" / "run_results.json").read_text())
    per_model = {r["unique_id"].split(".")[-1]: round(r["execution_time"], 1) for r in results["results"]}
    print("| people | person records linked | linkage wall time | peak memory | per model (s) |")
    print("|---:|---:|---:|---:|---|")
    import duckdb

    con = duckdb.connect(str(database), read_only=True)
    records = con.sql("select count(*) from linkage.person_identities").fetchall()[0][0]
    print(f"| {manifest['people']:,} | {records:,} | {seconds:.0f} s | {peak / 2**30:.2f} GiB | {per_model} |")
    if manifest["people"] > 1_000_000:
        print("no target above 1 million people: the figure is reported (national scale: 10 million)")
        return 0
    verdict = "PASS" if seconds <= args.limit_seconds else "FAIL"
    print(f"target: linkage in at most {args.limit_seconds:.0f} s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

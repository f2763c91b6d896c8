"""`benchmark-generator`: benchmark the synthetic world generator: wall time, peak memory, throughput and disk use.

Runs the ``generate`` command (from the same virtual environment) once per population size, seed 1, into
``DATA_DIR/people-<N>``, and samples every 0.2 s the resident memory of the generator and all its worker
processes. Prints a Markdown table and PASS/FAIL for each target; exits 0 whether the targets are met or not
(it is a report; a crash of the generator exits 1).

    benchmark-generator --seeds-dir seeds                         # 1,000,000 and 10,000,000 people
    benchmark-generator --seeds-dir seeds --people 1000000 --output target/benchmark.json

Targets: 1,000,000 people in at most 60 s, 10,000,000 in at most 600 s, peak memory at most 8 GiB.
The peak is the largest sum of the processes' RSS; forked workers share pages with the parent, so the sum
over-counts, and the proportional set size (PSS, shared pages divided between their users) is reported too.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from .ownership import is_generated

GIB = 1024**3
SAMPLE_SECONDS = 0.2
TIME_TARGETS = {1_000_000: 60.0, 10_000_000: 600.0}  # people -> seconds
MEMORY_TARGET_BYTES = 8 * GIB
GENERATE = Path(sys.executable).with_name("generate")


@dataclass
class Run:
    people: int
    seed: int
    workers: int | None
    data_dir: str
    returncode: int = 0
    wall_seconds: float = 0.0
    peak_rss_bytes: int = 0
    peak_pss_bytes: int | None = None
    peak_processes: int = 0
    raw_rows: int = 0
    rows_per_second: float = 0.0
    raw_bytes: int = 0
    truth_bytes: int = 0
    row_counts: dict[str, int] = field(default_factory=dict)
    targets: dict[str, bool] = field(default_factory=dict)
    error: str = ""


def _tree(process: psutil.Process) -> list[psutil.Process]:
    try:
        return [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _memory(processes: list[psutil.Process], with_pss: bool) -> tuple[int, int | None]:
    """Summed RSS (and PSS when asked and readable) of the processes still alive."""
    rss, pss = 0, 0 if with_pss else None
    for p in processes:
        try:
            if with_pss:
                info = p.memory_full_info()
                rss += info.rss
                pss = (pss or 0) + getattr(info, "pss", info.rss)
            else:
                rss += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return rss, pss


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def _pss_readable() -> bool:
    try:
        return hasattr(psutil.Process().memory_full_info(), "pss")
    except (psutil.AccessDenied, NotImplementedError):
        return False


def run_once(people: int, seed: int, workers: int | None, data_dir: Path, seeds_dir: Path, pss: bool = True) -> Run:
    """Generate one world from the seeds in ``seeds_dir`` and measure it."""
    # The generator clears its own raw/ and truth/ (and refuses folders it did not write): never delete here.
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [str(GENERATE), "--people", str(people), "--seed", str(seed), "--data-dir", str(data_dir)]
    command += ["--seeds-dir", str(seeds_dir)]
    command += ["--no-progress"] + (["--workers", str(workers)] if workers else [])
    run = Run(people=people, seed=seed, workers=workers, data_dir=str(data_dir))
    with_pss = pss and _pss_readable()
    peak_rss, peak_pss, peak_processes = 0, 0, 0
    started = time.perf_counter()
    # Output goes to files, not pipes, so a chatty generator can never block on a full pipe.
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        with subprocess.Popen(command, stdout=out, stderr=err, text=True) as child:
            parent = psutil.Process(child.pid)
            while child.poll() is None:
                processes = _tree(parent)
                rss, pss = _memory(processes, with_pss)
                peak_rss = max(peak_rss, rss)
                peak_pss = max(peak_pss, pss or 0)
                peak_processes = max(peak_processes, len(processes))
                time.sleep(SAMPLE_SECONDS)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    run.wall_seconds = round(time.perf_counter() - started, 2)
    run.returncode = child.returncode
    run.peak_rss_bytes = peak_rss
    run.peak_pss_bytes = peak_pss if with_pss else None
    run.peak_processes = peak_processes
    if child.returncode != 0:
        run.error = (stderr or stdout).strip()[-2000:]
        return run
    manifest = json.loads((data_dir / "raw" / "_manifest.json").read_text())
    run.row_counts = {str(k): int(v) for k, v in manifest["row_counts"].items()}
    run.raw_rows = sum(run.row_counts.values())
    run.rows_per_second = round(run.raw_rows / run.wall_seconds, 1) if run.wall_seconds else 0.0
    run.raw_bytes = _folder_bytes(data_dir / "raw")
    run.truth_bytes = _folder_bytes(data_dir / "truth")
    if people in TIME_TARGETS:
        run.targets[f"time <= {TIME_TARGETS[people]:.0f} s"] = run.wall_seconds <= TIME_TARGETS[people]
    run.targets[f"peak memory <= {MEMORY_TARGET_BYTES / GIB:.0f} GiB"] = peak_rss <= MEMORY_TARGET_BYTES
    return run


def _size(n: int | None) -> str:
    if n is None:
        return "n/a"
    return f"{n / GIB:.2f} GiB" if n >= GIB else f"{n / 1024**2:.0f} MiB"


def markdown(runs: list[Run]) -> str:
    header = (
        "| people | wall time | peak RSS (sum) | peak PSS (sum) | processes | raw rows | rows/s | raw/ | truth/ |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    )
    lines = list(header)
    for r in runs:
        if r.returncode != 0:
            lines.append(f"| {r.people:,} | failed (exit {r.returncode}) | | | | | | | |")
            continue
        lines.append(
            f"| {r.people:,} | {r.wall_seconds:.1f} s | {_size(r.peak_rss_bytes)} | {_size(r.peak_pss_bytes)} "
            f"| {r.peak_processes} | {r.raw_rows:,} | {r.rows_per_second:,.0f} | {_size(r.raw_bytes)} "
            f"| {_size(r.truth_bytes)} |"
        )
    return "\n".join(lines)


def machine() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "memory_bytes": int(psutil.virtual_memory().total),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "generate": str(GENERATE),
    }


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="benchmark-generator", description="Benchmark the synthetic world generator (time, memory, disk)."
    )
    ap.add_argument("--seeds-dir", type=Path, required=True, help="the dbt project's seeds folder (e.g. seeds)")
    ap.add_argument(
        "--people",
        type=int,
        action="append",
        help="population size to generate; repeat for several (default 1,000,000 and 10,000,000)",
    )
    ap.add_argument("--seed", type=int, default=1, help="random seed (default %(default)s)")
    ap.add_argument("--workers", type=int, default=None, help="worker processes (default: the generator's)")
    ap.add_argument(
        "--data-dir",
        type=Path,
        default=Path("/tmp/generator-benchmark"),
        help="scratch folder; each run writes to DATA_DIR/people-<N> (default %(default)s)",
    )
    ap.add_argument("--output", type=Path, default=None, help="also write the results to this JSON file")
    ap.add_argument("--clean", action="store_true", help="delete each generated world after measuring it")
    ap.add_argument("--no-pss", action="store_true", help="sample RSS only (reading PSS walks the page tables)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    sizes = args.people or [1_000_000, 10_000_000]
    host = machine()
    print(
        f"generator benchmark: seed {args.seed}, {os.cpu_count()} CPUs, "
        f"{_size(psutil.virtual_memory().total)} memory (RSS and PSS sampled every {SAMPLE_SECONDS} s)",
        file=sys.stderr,
    )
    runs = []
    for people in sizes:
        print(f"generating {people:,} people ...", file=sys.stderr, flush=True)
        run = run_once(
            people, args.seed, args.workers, args.data_dir / f"people-{people}", args.seeds_dir, pss=not args.no_pss
        )
        runs.append(run)
        if run.returncode != 0:
            print(f"generate failed for {people:,} people:\n{run.error}", file=sys.stderr)
        if args.clean and is_generated(args.data_dir / f"people-{people}" / "raw"):
            shutil.rmtree(args.data_dir / f"people-{people}", ignore_errors=True)
    print(markdown(runs))
    print()
    for run in runs:
        for target, ok in run.targets.items():
            print(f"{'PASS' if ok else 'FAIL'}  {run.people:>12,} people: {target}")
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        report = {"machine": host, "runs": [asdict(r) for r in runs]}
        args.output.write_text(json.dumps(report, indent=2) + "\n")
    return 1 if any(r.returncode != 0 for r in runs) else 0


if __name__ == "__main__":
    raise SystemExit(main())

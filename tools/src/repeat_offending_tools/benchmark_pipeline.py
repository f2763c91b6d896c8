"""Benchmark of the whole pipeline: what `make build` does at a given size, stage by stage.

Generates a world of ``--people`` people into ``--data-dir`` (``generate``; skipped with ``--reuse-world`` when
the folder holds one) and runs the release build on it (``release build``, the command ``make build`` runs,
target ``local``), printing their lines as they come. It samples, every half second, the resident memory of
the whole process tree (dbt, DuckDB inside it, the tools) and the size of DuckDB's spill folders (beside the
release file and under the release's linkage folder), and prints a line every minute with the step running,
the memory and the spill, so that a long step is never silent.

Stages: the generator; then each step of the release build (from its ``== release <id>: <step>`` lines); and
inside ``dbt build``, from the build's run results and manifest, the layers: seeds, staging, the linkage SQL
rules, the Splink model (``linkage__match_edges``), the clustering (``linked__person_links``), the linked
layer, derived, publication, research, audit models, snapshots, data tests, unit tests and the on-run-end
hooks. A layer's time is the wall time during which at least one of its nodes ran (dbt runs two at a time,
so layers can overlap); its peak memory is the highest sample while one of its nodes ran.

Writes ``benchmark.json`` and ``benchmark.md`` into ``--output`` (default ``<data dir>/benchmark``) and prints
the Markdown table. Speed and memory targets are judged from these figures (README "Performance"), never by a
timed test.

Usage: benchmark-pipeline --people 1000000 --data-dir /tmp/bench-1m [--seed 1] [--memory-limit 4GB]
       [--linkage-memory-limit 4GB] [--linkage-thresholds all|chosen] [--reuse-world] [--output DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil
import pyarrow.parquet as pq

from repeat_offending.project import MEMORY_LIMIT_DEFAULT, PROJECT_ROOT
from repeat_offending.release.layout import Layout

BIN = Path(sys.executable).parent
SAMPLE_SECONDS = 0.5
PROGRESS_SECONDS = 60.0
STEP_LINE = re.compile(r"^== release (?P<release>\S+): (?P<step>.+)$")
NOT_A_STEP = re.compile(r"^building into ")
# dbt's lines for a node starting and ending ("12 of 300 START sql table model staging.x ..... [RUN]")
DBT_START = re.compile(r"\b(?P<index>\d+) of \d+ START (?P<node>.+?)[ .]*\[RUN\]")
DBT_END = re.compile(r"\b(?P<index>\d+) of \d+ (?:OK|PASS|WARN|ERROR|FAIL|SKIP|NO-OP)\b")
GIB = 1024**3

# The layers of `dbt build`, in the order of the table: (name, test of a run result's node).
LAYER_ORDER = (
    "seeds",
    "staging",
    "linkage: SQL rules",
    "linkage: Splink model",
    "linkage: clustering",
    "linked",
    "snapshots",
    "derived",
    "publication",
    "research",
    "audit models",
    "data tests",
    "unit tests",
    "on-run-end hooks",
    "exposures",
    "other",
)
SPLINK_MODEL = "linkage__match_edges"
CLUSTERING = "linked__person_links"


@dataclass(frozen=True)
class Sample:
    at: float
    """Seconds since the epoch."""
    rss: int
    """Resident memory of the process tree, bytes."""
    spill: int
    """Bytes in DuckDB's spill folders."""


@dataclass
class Stage:
    name: str
    seconds: float
    peak_rss: int
    peak_spill: int
    level: int = 0
    """0: a step of the pipeline; 1: a layer of `dbt build`."""
    nodes: int | None = None
    node_seconds: float | None = None
    """For a layer: the sum of its nodes' times (above ``seconds`` when two of its nodes ran at once)."""


@dataclass
class Report:
    people: int
    seed: int
    data_dir: str
    started_at: str
    machine: dict[str, Any]
    settings: dict[str, str]
    stages: list[Stage] = field(default_factory=list)
    total_seconds: float = 0.0
    peak_rss: int = 0
    peak_spill: int = 0
    database_bytes: int | None = None
    raw_rows: int | None = None
    release_id: str | None = None
    outcome: str = "unknown"


# --- the layers of dbt build ------------------------------------------------------------------------------
def layer_of(unique_id: str, manifest: dict[str, Any]) -> str:
    """The layer a node of `dbt build` belongs to (LAYER_ORDER)."""
    kind = unique_id.split(".")[0]
    if kind == "test":
        return "data tests"
    if kind == "unit_test":
        return "unit tests"
    if kind == "seed":
        return "seeds"
    if kind == "snapshot":
        return "snapshots"
    if kind == "operation":
        return "on-run-end hooks"
    if kind == "exposure":
        return "exposures"
    if kind != "model":
        return "other"
    node = manifest["nodes"].get(unique_id, {})
    name = node.get("name", unique_id.rsplit(".", 1)[-1])
    folder = (node.get("fqn") or ["", ""])[1] if len(node.get("fqn") or []) > 1 else ""
    if name == SPLINK_MODEL:
        return "linkage: Splink model"
    if name == CLUSTERING:
        return "linkage: clustering"
    if folder == "linkage":
        return "linkage: SQL rules"
    if folder == "audit":
        return "audit models"
    return folder if folder in LAYER_ORDER else "other"


def _seconds(timestamp: str) -> float:
    return dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()


def node_intervals(run_results: dict[str, Any]) -> Iterable[tuple[str, float, float]]:
    """(unique_id, start, end) of every node that ran, from its compile start to its execute end."""
    for result in run_results["results"]:
        timing = [t for t in result.get("timing", []) if t.get("started_at") and t.get("completed_at")]
        if timing:
            yield (
                result["unique_id"],
                min(_seconds(t["started_at"]) for t in timing),
                max(_seconds(t["completed_at"]) for t in timing),
            )


def merged(intervals: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping intervals joined, in order."""
    out: list[tuple[float, float]] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def peak_within(samples: Sequence[Sample], intervals: Sequence[tuple[float, float]]) -> tuple[int, int]:
    """The highest memory and spill among the samples taken within the intervals (or the nearest sample
    after the start of an interval too short to hold one)."""
    rss = spill = 0
    for start, end in intervals:
        inside = [s for s in samples if start <= s.at <= end]
        if not inside:
            inside = [s for s in samples if s.at >= start][:1]
        for sample in inside:
            rss, spill = max(rss, sample.rss), max(spill, sample.spill)
    return rss, spill


def stage_from(name: str, start: float, end: float, samples: Sequence[Sample], level: int = 0) -> Stage:
    rss, spill = peak_within(samples, [(start, end)])
    return Stage(name=name, seconds=end - start, peak_rss=rss, peak_spill=spill, level=level)


def build_layers(
    run_results: dict[str, Any],
    manifest: dict[str, Any],
    samples: Sequence[Sample],
    step: tuple[float, float] | None = None,
) -> list[Stage]:
    """The layers of one `dbt build` (level 1 stages), in LAYER_ORDER, from its run results; given the step's
    start and end, also dbt's own time before the first node (parsing, connecting) and after the last."""
    by_layer: dict[str, list[tuple[float, float]]] = {}
    for unique_id, start, end in node_intervals(run_results):
        by_layer.setdefault(layer_of(unique_id, manifest), []).append((start, end))
    stages = []
    nodes = [interval for intervals in by_layer.values() for interval in intervals]
    first = min((start for start, _ in nodes), default=None)
    last = max((end for _, end in nodes), default=None)
    if step is not None and first is not None and first > step[0]:
        stages.append(stage_from("dbt: start (parse, connect)", step[0], first, samples, level=1))
    for name in LAYER_ORDER:
        intervals = by_layer.get(name)
        if not intervals:
            continue
        spans = merged(intervals)
        rss, spill = peak_within(samples, spans)
        stages.append(
            Stage(
                name=name,
                seconds=sum(end - start for start, end in spans),
                peak_rss=rss,
                peak_spill=spill,
                level=1,
                nodes=len(intervals),
                node_seconds=sum(end - start for start, end in intervals),
            )
        )
    if step is not None and last is not None and step[1] > last:
        stages.append(stage_from("dbt: end (artefacts)", last, step[1], samples, level=1))
    return stages


# --- running and sampling ---------------------------------------------------------------------------------
def folder_bytes(folder: Path) -> int:
    total = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                total += folder_bytes(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                total += entry.stat(follow_symlinks=False).st_size
        except OSError:
            continue
    return total


def spill_bytes(data_dir: Path) -> int:
    """Bytes in DuckDB's spill folders: every release's (``Layout.spill_folders``: the release file's, the linkage
    evaluation's and the linkage model's) and the linkage model's outside a release (``linkage/tmp``)."""
    layout = Layout(data_dir)
    releases = [path.name.removesuffix(".duckdb") for path in layout.releases.glob("*.duckdb")]
    folders = [folder for release in releases for folder in layout.spill_folders(release)]
    folders.append(data_dir / "linkage" / "tmp")
    return sum(folder_bytes(folder) for folder in folders)


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, bytes (0 once it has ended)."""
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


class Run:
    """One command, its lines printed and kept with their time, memory and spill sampled."""

    def __init__(self, data_dir: Path, environment: dict[str, str]) -> None:
        self.data_dir = data_dir
        self.environment = environment
        self.samples: list[Sample] = []
        self.lines: list[tuple[float, str]] = []
        self.current = "starting"
        self.current_since = time.time()
        self.running: dict[str, str] = {}
        """dbt's nodes running now, by their index in dbt's lines."""

    def sample(self, process: psutil.Process, stop: threading.Event) -> None:
        last_progress = time.time()
        while not stop.is_set():
            now = time.time()
            self.samples.append(Sample(now, tree_rss(process), spill_bytes(self.data_dir)))
            if now - last_progress >= PROGRESS_SECONDS:
                last_progress = now
                latest = self.samples[-1]
                print(
                    f"[benchmark] {self.current}, {now - self.current_since:,.0f} s in: memory "
                    f"{latest.rss / GIB:.2f} GiB, spill {latest.spill / GIB:.2f} GiB"
                    + (f"; running: {', '.join(self.running.values())}" if self.running else ""),
                    flush=True,
                )
            stop.wait(SAMPLE_SECONDS)

    def __call__(self, title: str, command: Sequence[str | Path]) -> int:
        self.current, self.current_since = title, time.time()
        process = subprocess.Popen(
            [str(part) for part in command],
            cwd=PROJECT_ROOT,
            env=self.environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        stop = threading.Event()
        sampler = threading.Thread(target=self.sample, args=(psutil.Process(process.pid), stop), daemon=True)
        sampler.start()
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            self.lines.append((time.time(), line.rstrip("\n")))
            step = STEP_LINE.match(line.strip())
            if step and not NOT_A_STEP.match(step["step"]):
                self.current, self.current_since = f"{title}: {step['step']}", time.time()
                self.running.clear()
            elif started := DBT_START.search(line):
                self.running[started["index"]] = started["node"]
            elif ended := DBT_END.search(line):
                self.running.pop(ended["index"], None)
        code = process.wait()
        stop.set()
        sampler.join()
        return code


def release_steps(lines: Sequence[tuple[float, str]], ended: float) -> list[tuple[str, float, float]]:
    """(step, start, end) of each step of a release build, from its ``== release <id>: <step>`` lines; the
    last step ends when the build does."""
    marks = [
        (at, match["step"])
        for at, line in lines
        if (match := STEP_LINE.match(line.strip())) and not NOT_A_STEP.match(match["step"])
    ]
    return [
        (step, at, marks[index + 1][0] if index + 1 < len(marks) else ended) for index, (at, step) in enumerate(marks)
    ]


def release_of(lines: Sequence[tuple[float, str]]) -> str | None:
    for _, line in lines:
        if match := STEP_LINE.match(line.strip()):
            return match["release"]
    return None


# --- the report ---------------------------------------------------------------------------------------
def gib(value: int | None) -> str:
    return "" if value is None else f"{value / GIB:.2f} GiB"


def duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{seconds:.1f} s"


def markdown(report: Report) -> str:
    machine = report.machine
    lines = [
        f"Pipeline benchmark: {report.people:,} people (seed {report.seed}), {report.raw_rows or 0:,} raw rows; "
        f"{machine['cores']} cores, {machine['memory_gib']:.0f} GiB; DUCKDB_MEMORY_LIMIT "
        f"{report.settings['DUCKDB_MEMORY_LIMIT']}, LINKAGE_MEMORY_LIMIT {report.settings['LINKAGE_MEMORY_LIMIT']}, "
        f"DBT_THREADS {report.settings.get('DBT_THREADS', '2 (default)')}; "
        f"linkage quality at {report.settings.get('linkage thresholds', 'all')} thresholds; "
        f"started {report.started_at}; release {report.release_id or 'none'} ({report.outcome}).",
        "",
        "| stage | time | peak memory | peak spill | nodes (node time) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for stage in report.stages:
        name = f"&nbsp;&nbsp;{stage.name}" if stage.level else stage.name
        nodes = "" if stage.nodes is None else f"{stage.nodes} ({duration(stage.node_seconds or 0)})"
        lines.append(
            f"| {name} | {duration(stage.seconds)} | {gib(stage.peak_rss)} | {gib(stage.peak_spill)} | {nodes} |"
        )
    lines += [
        f"| **total** | **{duration(report.total_seconds)}** | **{gib(report.peak_rss)}** | "
        f"**{gib(report.peak_spill)}** | |",
        "",
        f"DuckDB release file: {gib(report.database_bytes)}.",
    ]
    return "\n".join(lines) + "\n"


def raw_row_count(data_dir: Path) -> int | None:
    """Rows of the extract's raw Parquet files (from their footers), or None without any."""
    files = sorted((data_dir / "raw").rglob("*.parquet"))
    if not files:
        return None
    return sum(pq.ParquetFile(path).metadata.num_rows for path in files)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--memory-limit", default=None, help="DUCKDB_MEMORY_LIMIT for the build (default: as set)")
    parser.add_argument("--linkage-memory-limit", default=None, help="LINKAGE_MEMORY_LIMIT (default: as set)")
    parser.add_argument("--reuse-world", action="store_true", help="build the world already in --data-dir")
    parser.add_argument(
        "--linkage-thresholds",
        choices=("all", "chosen"),
        default="all",
        help="the release build's linkage quality over the thresholds' curve (default, as make build) or at its own",
    )
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args(argv)

    data_dir = args.data_dir.resolve()
    output = (args.output or data_dir / "benchmark").resolve()
    environment = {**os.environ, "DATA_DIR": str(data_dir), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    if args.memory_limit:
        environment["DUCKDB_MEMORY_LIMIT"] = args.memory_limit
    if args.linkage_memory_limit:
        environment["LINKAGE_MEMORY_LIMIT"] = args.linkage_memory_limit
    report = Report(
        people=args.people,
        seed=args.seed,
        data_dir=str(data_dir),
        started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        machine={
            "cores": psutil.cpu_count(),
            "memory_gib": psutil.virtual_memory().total / GIB,
            "platform": platform.platform(),
        },
        settings={
            "DUCKDB_MEMORY_LIMIT": environment.get("DUCKDB_MEMORY_LIMIT") or f"{MEMORY_LIMIT_DEFAULT} (default)",
            "LINKAGE_MEMORY_LIMIT": environment.get("LINKAGE_MEMORY_LIMIT") or f"{MEMORY_LIMIT_DEFAULT} (default)",
            "DBT_THREADS": environment.get("DBT_THREADS") or "2 (default)",
            "linkage thresholds": args.linkage_thresholds,
        },
    )
    run = Run(data_dir, environment)
    began = time.time()
    if not args.reuse_world:
        started = time.time()
        code = run(
            "generator",
            [BIN / "generate", "--people", str(args.people), "--seed", str(args.seed), "--seeds-dir", "seeds",
             "--data-dir", data_dir],
        )  # fmt: skip
        report.stages.append(stage_from("generator", started, time.time(), run.samples))
        if code != 0:
            print(f"[benchmark] the generator failed (exit status {code})", file=sys.stderr)
            return code
    report.raw_rows = raw_row_count(data_dir)

    build_started = time.time()
    code = run(
        "release build",
        [
            BIN / "release",
            "build",
            "--data-dir",
            data_dir,
            "--target",
            "local",
            "--linkage-thresholds",
            args.linkage_thresholds,
        ],
    )
    ended = time.time()
    report.outcome = "published" if code == 0 else f"failed (exit status {code})"
    report.release_id = release_of(run.lines)
    steps = release_steps(run.lines, ended)
    if steps and steps[0][1] > build_started:
        report.stages.append(stage_from("release: start (lock, ledger)", build_started, steps[0][1], run.samples))
    target = data_dir / "releases" / (report.release_id or "none") / "target"
    for step, start, end in steps:
        report.stages.append(stage_from(step, start, end, run.samples))
        if step == "dbt build":
            try:
                results = json.loads((target / "run_results_build.json").read_text())
                manifest = json.loads((target / "manifest.json").read_text())
            except (OSError, ValueError):
                continue
            report.stages.extend(build_layers(results, manifest, run.samples, (start, end)))
    report.total_seconds = ended - began
    report.peak_rss = max((s.rss for s in run.samples), default=0)
    report.peak_spill = max((s.spill for s in run.samples), default=0)
    database = data_dir / "releases" / f"{report.release_id}.duckdb"
    report.database_bytes = database.stat().st_size if database.is_file() else None

    output.mkdir(parents=True, exist_ok=True)
    (output / "benchmark.json").write_text(json.dumps(asdict(report), indent=2) + "\n")
    table = markdown(report)
    (output / "benchmark.md").write_text(table)
    print("\n" + table, flush=True)
    print(f"[benchmark] written to {output / 'benchmark.md'} and benchmark.json", flush=True)
    return code


if __name__ == "__main__":
    raise SystemExit(main())

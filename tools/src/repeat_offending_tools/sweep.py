"""`sweep`: build many random synthetic worlds and check each against its ground truth.

The default world is one point of the parameter space; real extracts are not. The sweep draws worlds with
random seeds and parameters (people 2,000-60,000, log-uniform; identifier noise 0-0.3; bad rows 0-0.05;
FIRST_YEAR 1995-2012; AS_OF 2012-2025; END_YEAR from the later of AS_OF's year and FIRST_YEAR + 5, the
generator's constraints, to 2025), and for each, in its own DATA_DIR under ``--sweep-dir``:

1. ``make build`` with the world's parameters (target ``ci``, dbt artefacts and logs in the world's folder),
   which generates the world, runs ``dbt build`` and measures linkage (`evaluate-linkage` with
   ``--require-precision``/``--require-recall``); its output goes to ``build.log``;
2. staging against the injected defects (``repeat_offending_tools.truth_checks``);
3. linkage precision and recall against the floors, from ``evaluation.linkage_quality`` (measured by
   `evaluate-linkage` here when the build stopped before it);
4. the derived layer against the truth (`validate-derived`): every complete cohort quarter with at
   least 1,000 true offenders within 0.5 percentage points.

Every world's parameters and the command that replays it are printed before the first build. The results go
to ``sweep.md`` (a Markdown table) and ``sweep.json`` in ``--sweep-dir``, rewritten after each world. Exit
status 1 when any world fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import secrets
import shlex
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from repeat_offending.project import PROJECT_ROOT
from repeat_offending.release.layout import Layout
from repeat_offending_tools.truth_checks import connect, staging_against_truth

PEOPLE = (2_000, 60_000)
NOISE_RATE = (0.0, 0.3)
BAD_ROW_RATE = (0.0, 0.05)
FIRST_YEAR = (1995, 2012)
AS_OF = (dt.date(2012, 1, 1), dt.date(2025, 12, 31))
LAST_END_YEAR = 2025
MIN_YEARS_SIMULATED = 5  # the generator's rule: FIRST_YEAR at least five years before END_YEAR
# Make's own variables would carry the caller's command line (a DATA_DIR, a PEOPLE) into each world's build.
MAKE_ENVIRONMENT = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")


@dataclass(frozen=True)
class World:
    """One world's parameters, as `make build` takes them."""

    index: int
    seed: int
    people: int
    first_year: int
    end_year: int
    as_of: str
    noise_rate: float
    bad_row_rate: float

    @property
    def name(self) -> str:
        return f"world{self.index:02d}-seed{self.seed}"

    def make_variables(self) -> list[str]:
        return [
            f"PEOPLE={self.people}",
            f"SEED={self.seed}",
            f"FIRST_YEAR={self.first_year}",
            f"END_YEAR={self.end_year}",
            f"AS_OF={self.as_of}",
            f"NOISE_RATE={self.noise_rate}",
            f"BAD_ROW_RATE={self.bad_row_rate}",
        ]

    def describe(self) -> str:
        return (
            f"{self.name}: people {self.people:,}, seed {self.seed}, years {self.first_year}-{self.end_year}, "
            f"as of {self.as_of}, noise {self.noise_rate}, bad rows {self.bad_row_rate}"
        )


@dataclass
class Result:
    """What one world gave."""

    world: World
    data_dir: str
    build_ok: bool = False
    build_exit: int | None = None
    build_failures: list[str] = field(default_factory=list)
    staging_ok: bool | None = None
    staging_problems: list[str] = field(default_factory=list)
    precision: float | None = None
    recall: float | None = None
    linkage_ok: bool | None = None
    checked_quarters: int = 0
    max_derived_diff_pp: float | None = None
    pooled_diff_pp: float | None = None
    derived_ok: bool | None = None
    derived_problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        checks = (self.staging_ok, self.linkage_ok, self.derived_ok)
        return self.build_ok and all(ok is True for ok in checks) and not self.errors


def _range(text: str, kind: type[int] | type[float]) -> tuple[float, float]:
    low, _, high = text.partition("-")
    bounds = (kind(low), kind(high or low))
    if bounds[0] > bounds[1]:
        raise argparse.ArgumentTypeError(f"empty range {text!r}")
    return bounds


def draw_world(rng: random.Random, index: int, people: tuple[float, float]) -> World:
    """Random parameters inside the sweep's ranges that the generator accepts."""
    low, high = people
    count = round(math.exp(rng.uniform(math.log(low), math.log(high))))
    first_year = rng.randint(*FIRST_YEAR)
    span = (AS_OF[1] - AS_OF[0]).days
    as_of = AS_OF[0] + dt.timedelta(days=rng.randint(0, span))
    lowest_end = max(as_of.year, first_year + MIN_YEARS_SIMULATED)
    end_year = rng.randint(lowest_end, max(lowest_end, LAST_END_YEAR))
    return World(
        index=index,
        seed=rng.randrange(2**31),
        people=int(min(max(count, low), high)),
        first_year=first_year,
        end_year=end_year,
        as_of=as_of.isoformat(),
        noise_rate=round(rng.uniform(*NOISE_RATE), 3),
        bad_row_rate=round(rng.uniform(*BAD_ROW_RATE), 4),
    )


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in MAKE_ENVIRONMENT}


def replay_command(world: World, data_dir: Path) -> str:
    return shlex.join(["make", "build", f"DATA_DIR={data_dir}", *world.make_variables(), "DBT_TARGET=ci"])


def _build(world: World, data_dir: Path, project: Path, args: argparse.Namespace) -> tuple[int, list[str]]:
    """`make build` of the world; its exit status and the dbt nodes that failed or errored."""
    data_dir.mkdir(parents=True, exist_ok=True)
    command = [
        "make",
        "build",
        f"DATA_DIR={data_dir}",
        *world.make_variables(),
        "DBT_TARGET=ci",
        f"LINKAGE_MIN_PRECISION={args.min_precision}",
        f"LINKAGE_MIN_RECALL={args.min_recall}",
    ]
    with (data_dir / "build.log").open("w", encoding="utf-8") as log:
        completed = subprocess.run(
            command, cwd=project, env=_environment(), stdout=log, stderr=subprocess.STDOUT, check=False
        )
    failures = []
    latest = Layout(data_dir).latest_build()
    run_results = Layout(data_dir).folder(latest) / "target" / "run_results.json" if latest else data_dir / "none"
    if completed.returncode and run_results.exists():
        results = json.loads(run_results.read_text()).get("results", [])
        failures = sorted(r["unique_id"] for r in results if r.get("status") in ("error", "fail", "runtime error"))
    return completed.returncode, failures


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, table]
    ).fetchall()
    return bool(found[0][0])


def _linkage_quality(database: Path) -> tuple[float, float] | None:
    with duckdb.connect(str(database), read_only=True) as con:
        if not _has_table(con, "evaluation", "linkage_quality"):
            return None
        rows = con.execute(
            "select pairwise_precision, pairwise_recall from evaluation.linkage_quality "
            "where scope = 'overall' and is_chosen_threshold"
        ).fetchall()
    return (float(rows[0][0]), float(rows[0][1])) if rows else None


def _check_linkage(result: Result, data_dir: Path, database: Path, project: Path, args: argparse.Namespace) -> None:
    quality = _linkage_quality(database)
    if quality is None:
        with duckdb.connect(str(database), read_only=True) as con:
            linked = _has_table(con, "linked", "person_links")
        if linked:  # the build stopped before measuring linkage: measure it here
            subprocess.run(
                [
                    str(Path(sys.executable).with_name("evaluate-linkage")),
                    *("--database", str(database), "--truth", str(data_dir / "truth"), "--chosen-threshold-only"),
                    *("--require-precision", str(args.min_precision), "--require-recall", str(args.min_recall)),
                ],
                cwd=project,
                capture_output=True,
                check=False,
            )
            quality = _linkage_quality(database)
    if quality is not None:
        result.precision, result.recall = quality
        result.linkage_ok = quality[0] >= args.min_precision and quality[1] >= args.min_recall


def _check_derived(result: Result, data_dir: Path, database: Path, project: Path, args: argparse.Namespace) -> None:
    reports = data_dir / "reports"
    completed = subprocess.run(
        [
            str(Path(sys.executable).with_name("validate-derived")),
            *("--data-dir", str(data_dir), "--database", str(database), "--report-dir", str(reports)),
            *("--tolerance-pp", str(args.tolerance_pp), "--min-offenders", str(args.min_offenders)),
            "--no-calibration-check",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    report = reports / "validate_derived.json"
    if not report.exists() or completed.returncode not in (0, 1):
        result.derived_ok = False
        result.derived_problems = [f"validate_derived exited {completed.returncode}: {completed.stderr.strip()[-300:]}"]
        return
    payload = json.loads(report.read_text())
    checked = [q for q in payload["quarters"] if q["is_checked"]]
    result.checked_quarters = len(checked)
    differences = [abs(q["rate_difference_pp"]) for q in checked if q["rate_difference_pp"] is not None]
    result.max_derived_diff_pp = max(differences) if differences else None
    result.pooled_diff_pp = payload["pooled_difference_pp"]
    failing = [q for q in checked if q["within_tolerance"] is False]
    result.derived_problems = [f"{q['cohort_quarter']}: {q['rate_difference_pp']:+.2f} pp" for q in failing]
    result.derived_ok = not failing


def run_world(world: World, sweep_dir: Path, project: Path, args: argparse.Namespace) -> Result:
    data_dir = sweep_dir / world.name
    result = Result(world=world, data_dir=str(data_dir))
    started = time.perf_counter()
    result.build_exit, result.build_failures = _build(world, data_dir, project, args)
    result.build_ok = result.build_exit == 0
    # The published release, or the release of a build that failed (kept for inspection).
    latest = Layout(data_dir).latest_build()
    database = Layout(data_dir).database(latest) if latest else data_dir / "warehouse.duckdb"
    if database.exists() and (data_dir / "truth" / "defects.parquet").exists():
        try:
            con = connect(data_dir, database)
            try:
                if _has_table(con, "audit", "quarantine") and _has_table(con, "audit", "staging_reconciliation"):
                    staging = staging_against_truth(con)
                    result.staging_ok, result.staging_problems = staging.passed, staging.problems
            finally:
                con.close()
            _check_linkage(result, data_dir, database, project, args)
            if _has_table_in(database, "derived", "proven_reoffending"):
                _check_derived(result, data_dir, database, project, args)
        except duckdb.Error as error:
            result.errors.append(f"a check could not run: {error}")
    result.seconds = round(time.perf_counter() - started, 1)
    return result


def _has_table_in(database: Path, schema: str, table: str) -> bool:
    with duckdb.connect(str(database), read_only=True) as con:
        return _has_table(con, schema, table)


def checked(r: Result) -> list[tuple[str, bool | None]]:
    return [("staging", r.staging_ok), ("linkage", r.linkage_ok), ("derived", r.derived_ok)]


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("ok" if ok else "FAIL")


def _number(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def markdown(results: list[Result], header: str) -> str:
    lines = [
        "# World sweep",
        "",
        header,
        "",
        "| World | Seed | People | Years | AS_OF | Noise | Bad rows | Build | Staging | Precision | Recall "
        "| Checked quarters | Max derived diff (pp) | Pooled diff (pp) | Time (s) | Result |",
        "|---|---:|---:|---|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        w = r.world
        build = "ok" if r.build_ok else f"FAIL (exit {r.build_exit})"
        lines.append(
            f"| {w.name} | {w.seed} | {w.people:,} | {w.first_year}-{w.end_year} | {w.as_of} | {w.noise_rate} | "
            f"{w.bad_row_rate} | {build} | {_verdict(r.staging_ok)} | {_number(r.precision, 5)} | "
            f"{_number(r.recall, 5)} | {r.checked_quarters} | {_number(r.max_derived_diff_pp, 2)} | "
            f"{_number(r.pooled_diff_pp, 2)} | {r.seconds:.0f} | {'pass' if r.passed else '**FAIL**'} |"
        )
    problems = [
        f"- {r.world.name}: "
        + "; ".join(
            [
                *([f"build exit {r.build_exit} (see {r.data_dir}/build.log)"] if not r.build_ok else []),
                *(f"dbt: {node}" for node in r.build_failures[:10]),
                *r.staging_problems,
                *([] if r.linkage_ok is not False else ["linkage below the floors"]),
                *(f"derived {p}" for p in r.derived_problems),
                *r.errors,
                *(f"{name} not checked" for name, ok in checked(r) if ok is None),
            ]
        )
        for r in results
        if not r.passed
    ]
    if problems:
        lines += ["", "## Failures", "", *problems]
    return "\n".join(lines) + "\n"


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="sweep", description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--worlds", type=int, default=12, help="how many worlds (default %(default)s)")
    ap.add_argument("--seed", type=int, default=None, help="the sweep's seed (default: a fresh random one)")
    ap.add_argument(
        "--people",
        type=lambda text: _range(text, int),
        default=PEOPLE,
        help="people per world, a range LOW-HIGH drawn log-uniformly (default 2000-60000)",
    )
    ap.add_argument("--sweep-dir", type=Path, default=Path("data/sweep"), help="one DATA_DIR per world in it")
    ap.add_argument(
        "--project-dir", type=Path, default=PROJECT_ROOT, help="the project (its Makefile); default: this checkout"
    )
    ap.add_argument("--min-precision", type=float, default=0.995, help="linkage floor (default %(default)s)")
    ap.add_argument("--min-recall", type=float, default=0.99, help="linkage floor (default %(default)s)")
    ap.add_argument("--tolerance-pp", type=float, default=0.5, help="derived vs truth (default %(default)s)")
    ap.add_argument("--min-offenders", type=int, default=1000, help="quarters checked (default %(default)s)")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    project = args.project_dir.resolve()
    if not (project / "Makefile").is_file():
        print(f"sweep: {project} has no Makefile; run from the project folder or pass --project-dir", file=sys.stderr)
        return 2
    if args.worlds < 1:
        print("sweep: --worlds must be at least 1", file=sys.stderr)
        return 2
    sweep_seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    rng = random.Random(sweep_seed)
    sweep_dir = args.sweep_dir.resolve()
    sweep_dir.mkdir(parents=True, exist_ok=True)
    worlds = [draw_world(rng, index, args.people) for index in range(1, args.worlds + 1)]
    low, high = args.people
    header = (
        f"Sweep seed {sweep_seed} (`sweep --seed {sweep_seed} --worlds {args.worlds} --people {low}-{high}` draws "
        f"the same worlds); linkage floors precision {args.min_precision}, recall {args.min_recall}; derived "
        f"within {args.tolerance_pp} pp for complete quarters of at least {args.min_offenders:,} true offenders."
    )
    print(f"sweep: {header}")
    for world in worlds:
        print(f"sweep: {world.describe()}\n       replay: {replay_command(world, sweep_dir / world.name)}")
    sys.stdout.flush()
    results: list[Result] = []
    for world in worlds:
        print(f"sweep: building {world.name} ...", flush=True)
        result = run_world(world, sweep_dir, project, args)
        results.append(result)
        print(
            f"sweep: {world.name}: {'pass' if result.passed else 'FAIL'} in {result.seconds:.0f} s (build "
            f"{'ok' if result.build_ok else 'FAIL'}, staging {_verdict(result.staging_ok)}, precision "
            f"{_number(result.precision, 5)}, recall {_number(result.recall, 5)}, max derived diff "
            f"{_number(result.max_derived_diff_pp, 2)} pp)",
            flush=True,
        )
        text = markdown(results, header)
        (sweep_dir / "sweep.md").write_text(text, encoding="utf-8")
        payload = {
            "sweep_seed": sweep_seed,
            "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
            "worlds": [{**asdict(r), "passed": r.passed} for r in results],
        }
        (sweep_dir / "sweep.json").write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    print(markdown(results, header))
    print(f"sweep: written to {sweep_dir / 'sweep.md'} and {sweep_dir / 'sweep.json'}")
    failed = [r.world.name for r in results if not r.passed]
    if failed:
        print(f"sweep: {len(failed)} of {len(results)} worlds failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What `make data` does with DATA_DIR: use what is there, or generate a synthetic world.

A DATA_DIR's ``raw/`` is either a real extract (a user's input, read only) or a world the generator wrote
(it carries the marker ``raw/_generated_by.json``, see ``justice_world.ownership``). The
decision, printed as one line:

- no ``raw/``: generate (the generator itself refuses if ``truth/`` exists without its marker);
- ``raw/`` without the marker: an extract, built as it is, whatever world parameters were given;
- a generated world made with the requested parameters (``raw/_manifest.json``, and the same generator
  version): use it;
- a generated world made otherwise (or whose manifest is missing or malformed): generate, but only when the
  world parameters were given (``--requested``: on make's command line, or ``make generate``); otherwise it
  is built as it is.

Exit status 0: use DATA_DIR as it is; 10 (``GENERATE``): generate; 2: bad arguments.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from justice_world import GENERATOR_VERSION
from justice_world.ownership import MARKER_NAME, marker_problem
from repeat_offending.world_manifest import ManifestError, parameters, read_manifest

USE = 0
GENERATE = 10


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="world_matches", description="Decide whether `make data` uses DATA_DIR as it is or generates a world."
    )
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--people", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--first-year", type=int, required=True)
    ap.add_argument("--end-year", type=int, required=True)
    ap.add_argument("--as-of", required=True, help="data_as_of, YYYY-MM-DD")
    ap.add_argument("--noise-rate", type=float, required=True)
    ap.add_argument("--bad-row-rate", type=float, required=True)
    ap.add_argument(
        "--requested",
        action="store_true",
        help="the world parameters were asked for: replace a generated world made with others",
    )
    return ap


def mismatches(manifest: dict[str, object], args: argparse.Namespace) -> list[str]:
    """The parameters whose recorded value differs from the requested one, described. The parameters sit at
    the top level of the manifest or under a ``parameters`` key."""
    try:
        recorded = parameters(manifest)
    except ManifestError as problem:
        return [str(problem)]
    wanted: dict[str, object] = {
        "people": args.people,
        "seed": args.seed,
        "first_year": args.first_year,
        "end_year": args.end_year,
        "data_as_of": args.as_of,
        "identifier_noise_rate": args.noise_rate,
        "bad_row_rate": args.bad_row_rate,
    }
    problems = []
    for key, value in wanted.items():
        if key not in recorded:
            problems.append(f"{key} is not recorded")
            continue
        have = recorded[key]
        if isinstance(value, float):
            same = isinstance(have, int | float) and math.isclose(float(have), value, rel_tol=1e-9, abs_tol=1e-12)
        elif isinstance(value, int):
            same = isinstance(have, int) and have == value
        else:
            same = str(have) == str(value)
        if not same:
            problems.append(f"{key}: world has {have!r}, requested {value!r}")
    recorded_version = recorded.get("generator_version", manifest.get("generator_version"))
    if recorded_version is not None and str(recorded_version) != GENERATOR_VERSION:
        problems.append(f"generator_version: world has {recorded_version!r}, installed {GENERATOR_VERSION!r}")
    return problems


def world_problems(data_dir: Path, args: argparse.Namespace) -> list[str]:
    """Why the generated world in ``data_dir`` is not the requested one (empty when it is)."""
    try:
        manifest = read_manifest(data_dir / "raw")
    except ManifestError as problem:
        return [str(problem)]
    return mismatches(manifest, args)


def decide(args: argparse.Namespace) -> tuple[int, str]:
    """The exit status and the one line that explains it."""
    data_dir: Path = args.data_dir
    raw = data_dir / "raw"
    if not raw.exists():
        return GENERATE, f"No raw/ in {data_dir}: generating a synthetic world there."
    problem = marker_problem(raw)
    if problem is not None:
        ignored = " (the world parameters given are not used)" if args.requested else ""
        return USE, (
            f"{raw} has no generator marker ({MARKER_NAME}): building it as an extract, as it is, read only{ignored}."
        )
    problems = world_problems(data_dir, args)
    if not problems:
        return USE, f"Using the synthetic world in {data_dir} (made with these parameters)."
    if args.requested:
        return GENERATE, f"Regenerating the synthetic world in {data_dir}: " + "; ".join(problems) + "."
    return USE, (
        f"Using the synthetic world in {data_dir} as it is, although it differs from the default parameters ("
        + "; ".join(problems)
        + "): give the world parameters (e.g. PEOPLE=..., SEED=...) or run `make generate` to replace it."
    )


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    status, line = decide(args)
    print(line, file=sys.stderr)
    return status


if __name__ == "__main__":
    raise SystemExit(main())

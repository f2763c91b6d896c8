"""Exit 0 when the generated world in DATA_DIR was made with the requested parameters, 1 otherwise.

`make data` runs it to decide whether the (slow) generator must run again. It reads
``<data-dir>/raw/_manifest.json``, written by the generator, whose parameters sit at the top level or
under a ``parameters`` key: ``people``, ``seed``, ``first_year``, ``end_year``, ``data_as_of``,
``identifier_noise_rate`` and ``bad_row_rate``. A world written by another version of the generator
(``generator_version``, when both it and the installed package record one) is stale too. The reason for
a mismatch goes to standard error.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--first-year", type=int, required=True)
    parser.add_argument("--end-year", type=int, required=True)
    parser.add_argument("--as-of", required=True, help="data_as_of, YYYY-MM-DD")
    parser.add_argument("--noise-rate", type=float, required=True)
    parser.add_argument("--bad-row-rate", type=float, required=True)
    return parser.parse_args(argv)


def mismatches(manifest: dict[str, object], args: argparse.Namespace) -> list[str]:
    """The parameters whose recorded value differs from the requested one, described."""
    recorded = manifest.get("parameters", manifest)
    if not isinstance(recorded, dict):
        return ["the manifest has no parameters"]
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
    installed = _installed_generator_version()
    recorded_version = recorded.get("generator_version", manifest.get("generator_version"))
    if installed is not None and recorded_version is not None and str(recorded_version) != installed:
        problems.append(f"generator_version: world has {recorded_version!r}, installed {installed!r}")
    return problems


def _installed_generator_version() -> str | None:
    try:
        from repeat_offending.synthetic import GENERATOR_VERSION
    except ImportError:
        return None
    return str(GENERATOR_VERSION)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    path = args.data_dir / "raw" / "_manifest.json"
    if not path.is_file():
        print(f"no world yet: {path} is missing", file=sys.stderr)
        return 1
    try:
        manifest = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        print(f"unreadable manifest {path}: {error}", file=sys.stderr)
        return 1
    if not isinstance(manifest, dict):
        print(f"unexpected manifest {path}: not a JSON object", file=sys.stderr)
        return 1
    problems = mismatches(manifest, args)
    if problems:
        print(f"the world in {args.data_dir} differs from the request: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(f"the world in {args.data_dir} matches the request", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`generate`: write a synthetic justice world to DATA_DIR/raw and its ground truth to DATA_DIR/truth."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from .config import WorldConfig


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from error


def parser() -> argparse.ArgumentParser:
    defaults = WorldConfig()
    ap = argparse.ArgumentParser(
        prog="generate",
        description="Generate a synthetic justice world: five source systems' raw extracts (Parquet) and the "
        "ground truth used to evaluate linkage and the derived statistics.",
    )
    ap.add_argument("--people", type=int, default=defaults.people, help="people in the world (default %(default)s)")
    ap.add_argument("--seed", type=int, default=defaults.seed, help="random seed (default %(default)s)")
    ap.add_argument(
        "--first-year",
        type=int,
        default=defaults.first_year,
        help="first simulated year: the world starts on 1 January (default %(default)s)",
    )
    ap.add_argument(
        "--end-year",
        type=int,
        default=defaults.end_year,
        help="last simulated year; successive extracts of one world keep it fixed (default %(default)s)",
    )
    ap.add_argument(
        "--as-of",
        type=_date,
        default=defaults.data_as_of,
        help="extract date data_as_of: nothing recorded after it is in the extract (default %(default)s)",
    )
    ap.add_argument(
        "--data-dir",
        type=Path,
        default=Path(os.environ.get("DATA_DIR", "data")),
        help="output folder; its raw/ and truth/ are replaced, so they must not exist unless this generator wrote "
        "them (default $DATA_DIR or ./data)",
    )
    ap.add_argument(
        "--seeds-dir",
        type=Path,
        required=True,
        help="the dbt project's seeds folder (e.g. seeds): the reference data the world is drawn from, the same "
        "files dbt loads",
    )
    ap.add_argument(
        "--noise-rate",
        type=float,
        default=defaults.identifier_noise_rate,
        help="share of person records with identifier noise (default %(default)s)",
    )
    ap.add_argument(
        "--bad-row-rate",
        type=float,
        default=defaults.bad_row_rate,
        help="share of raw rows that arrive broken (default %(default)s)",
    )
    ap.add_argument(
        "--workers",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="worker processes (does not change the output; default %(default)s)",
    )
    ap.add_argument("--no-progress", action="store_true", help="no progress bar")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        cfg = WorldConfig(
            people=args.people,
            seed=args.seed,
            first_year=args.first_year,
            end_year=args.end_year,
            data_as_of=args.as_of,
            identifier_noise_rate=args.noise_rate,
            bad_row_rate=args.bad_row_rate,
            data_dir=args.data_dir.resolve(),
            workers=args.workers,
            progress=not args.no_progress and sys.stderr.isatty(),
        )
    except ValueError as error:
        print(f"generate: {error}", file=sys.stderr)
        return 2
    from .ownership import FolderNotOwnedError
    from .reference import SeedNotFoundError
    from .writer import generate

    try:
        manifest = generate(cfg, args.seeds_dir)
    except (FolderNotOwnedError, SeedNotFoundError) as error:
        print(f"generate: {error}", file=sys.stderr)
        return 1
    counts = manifest["row_counts"]
    assert isinstance(counts, dict)
    total = sum(counts.values())
    print(
        f"generate: {cfg.people:,} people, seed {cfg.seed}, data as of {cfg.data_as_of}: {total:,} raw rows in "
        f"{len(counts)} tables written to {cfg.data_dir / 'raw'} in {manifest['seconds']} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

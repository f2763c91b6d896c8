"""`calibration-report`: print the calibration measures of a generated world, computed from its ground truth.

    calibration-report DATA_DIR [--quarters N]

The measures pool the latest N complete cohort quarters (default 8) before the world's ``data_as_of``, read
from ``DATA_DIR/truth/_manifest.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import duckdb

from .calibration import calibration_measures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="calibration-report", description="Print the calibration measures of a generated world."
    )
    ap.add_argument("data_dir", type=Path, help="the world's DATA_DIR (with truth/)")
    ap.add_argument("--quarters", type=int, default=8, help="complete cohort quarters to pool (default %(default)s)")
    args = ap.parse_args(argv)
    manifest = json.loads((args.data_dir / "truth" / "_manifest.json").read_text(encoding="utf-8"))
    as_of = dt.date.fromisoformat(manifest["data_as_of"])
    con = duckdb.connect()
    measures = calibration_measures(con, args.data_dir / "truth", as_of, args.quarters)
    for key, value in measures.items():
        print(f"{key:45s} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

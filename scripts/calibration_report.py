"""Print the calibration measures of a generated world, computed from its ground truth.

Usage: python scripts/calibration_report.py DATA_DIR [QUARTERS]
QUARTERS is how many of the latest complete cohort quarters to pool (default 8).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import duckdb

from repeat_offending.synthetic.calibration import calibration_measures


def main() -> int:
    data_dir = Path(sys.argv[1])
    quarters = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    manifest = json.loads((data_dir / "raw" / "_manifest.json").read_text())
    as_of = dt.date.fromisoformat(manifest["data_as_of"])
    con = duckdb.connect()
    measures = calibration_measures(con, data_dir / "truth", as_of, quarters)
    for key, value in measures.items():
        print(f"{key:45s} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

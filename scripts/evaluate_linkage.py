"""Measure person-linkage quality against the generator's ground truth and store it in the warehouse.

Writes `audit.linkage_quality` (see models/audit/_audit__sources.yml) into the DuckDB file and prints the
overall figures and the table over match thresholds. Evaluation, not a model: dbt models never read the
ground truth. `make build` runs it after `dbt build`.

Usage: python scripts/evaluate_linkage.py --database DATA_DIR/dev.duckdb --truth DATA_DIR/truth
       [--threshold 0.95] [--chosen-threshold-only] [--require-precision 0.995 --require-recall 0.99]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb
import yaml

from repeat_offending.linkage.quality import THRESHOLDS, evaluate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--truth", type=Path, required=True)
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="the build's match threshold (default: var linkage_match_threshold of dbt_project.yml)",
    )
    parser.add_argument(
        "--chosen-threshold-only",
        action="store_true",
        help="skip re-clustering at the other thresholds (hours of work at national scale)",
    )
    parser.add_argument("--require-precision", type=float, default=None)
    parser.add_argument("--require-recall", type=float, default=None)
    args = parser.parse_args()
    if not (args.truth / "person_records.parquet").exists():
        print(
            f"evaluate_linkage: skipped: no ground truth ({args.truth / 'person_records.parquet'} is missing, as for "
            "every real extract), so linkage quality is not measured",
            file=sys.stderr,
        )
        return 0
    threshold = args.threshold
    if threshold is None:
        project = yaml.safe_load((Path(__file__).resolve().parents[1] / "dbt_project.yml").read_text())
        threshold = float(project["vars"]["linkage_match_threshold"])
    con = duckdb.connect(str(args.database))
    quality = evaluate(con, args.truth, threshold, (threshold,) if args.chosen_threshold_only else THRESHOLDS)
    con.register("quality", quality)
    con.execute("create schema if not exists audit")
    con.execute("create or replace table audit.linkage_quality as select * from quality")
    con.sql("""
        select scope, scope_value, match_threshold as threshold, round(pairwise_precision, 5) as precision_,
               round(pairwise_recall, 5) as recall_, round(pairwise_f1, 5) as f1, over_merged_clusters,
               under_merged_persons
        from audit.linkage_quality
        where scope = 'overall' or is_chosen_threshold
        order by scope != 'overall', scope, scope_value, match_threshold
    """).show(max_rows=100, max_width=250)
    chosen = con.sql("""
        select pairwise_precision, pairwise_recall from audit.linkage_quality
        where scope = 'overall' and is_chosen_threshold
    """).fetchall()[0]
    con.close()
    failures = []
    if args.require_precision is not None and chosen[0] < args.require_precision:
        failures.append(f"precision {chosen[0]:.5f} < {args.require_precision}")
    if args.require_recall is not None and chosen[1] < args.require_recall:
        failures.append(f"recall {chosen[1]:.5f} < {args.require_recall}")
    if failures:
        print("evaluate_linkage: below target: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Measure person-linkage quality against the generator's ground truth and store it in the warehouse.

Writes the table ``evaluation.linkage_quality`` into the DuckDB file and prints the overall figures and the
table over match thresholds. Evaluation, not a model: dbt models never read the ground truth, and dbt never
builds into the ``evaluation`` schema, so this table sits beside the DAG, never in a schema dbt owns. `make
build` (``release build``) runs it after `dbt build`; nothing in the DAG reads it.

``evaluation.linkage_quality``, one row per scope, scope value and match threshold (see
``repeat_offending_tools.linkage_quality``): ``scope`` (``overall``, ``system_pair``, ``sex``,
``ethnicity_group``), ``scope_value`` (``all records``, ``courts - pnc``, ...), ``match_threshold``,
``records``, ``clusters`` (person ids), ``persons`` (real people), ``true_pairs``, ``predicted_pairs``,
``true_positive_pairs``, ``pairwise_precision``, ``pairwise_recall``, ``pairwise_f1``,
``over_merged_clusters``, ``under_merged_persons`` and ``is_chosen_threshold`` (the build's own threshold,
var ``linkage_match_threshold``).

Usage: evaluate-linkage --database DATA_DIR/dev.duckdb --truth DATA_DIR/truth
       [--threshold 0.95] [--chosen-threshold-only] [--require-precision 0.995 --require-recall 0.99]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from repeat_offending.project import dbt_var, memory_limit
from repeat_offending_tools.linkage_quality import THRESHOLDS, evaluate

SCHEMA = "evaluation"
"""The schema of what is measured against the ground truth; no dbt node builds into it."""
TABLE = f"{SCHEMA}.linkage_quality"


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="evaluate-linkage", description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--database", type=Path, required=True)
    ap.add_argument("--truth", type=Path, required=True)
    ap.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="the build's match threshold (default: var linkage_match_threshold of dbt_project.yml)",
    )
    ap.add_argument(
        "--chosen-threshold-only",
        action="store_true",
        help="skip re-clustering at the other thresholds (hours of work at national scale)",
    )
    ap.add_argument("--require-precision", type=float, default=None)
    ap.add_argument("--require-recall", type=float, default=None)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not (args.truth / "person_records.parquet").exists():
        print(
            f"evaluate-linkage: skipped: no ground truth ({args.truth / 'person_records.parquet'} is missing, as for "
            "every real extract), so linkage quality is not measured",
            file=sys.stderr,
        )
        return 0
    threshold = float(dbt_var("linkage_match_threshold")) if args.threshold is None else args.threshold
    # Bounded like the build (DUCKDB_MEMORY_LIMIT), spilling beside the database: the warehouse's connection
    # into <database>.tmp (DuckDB's own default), the evaluation's into <database>.evaluation.tmp(-pairs).
    limit = memory_limit()
    con = duckdb.connect(str(args.database), config={"memory_limit": limit})
    quality = evaluate(
        con,
        args.truth,
        threshold,
        (threshold,) if args.chosen_threshold_only else THRESHOLDS,
        config={"memory_limit": limit, "temp_directory": f"{args.database}.evaluation.tmp"},
    )
    con.register("quality", quality)
    con.execute(f"create schema if not exists {SCHEMA}")
    con.execute(f"create or replace table {TABLE} as select * from quality")
    con.sql(f"""
        select scope, scope_value, match_threshold as threshold, round(pairwise_precision, 5) as precision_,
               round(pairwise_recall, 5) as recall_, round(pairwise_f1, 5) as f1, over_merged_clusters,
               under_merged_persons
        from {TABLE}
        where scope = 'overall' or is_chosen_threshold
        order by scope != 'overall', scope, scope_value, match_threshold
    """).show(max_rows=100, max_width=250)
    chosen = con.sql(f"""
        select pairwise_precision, pairwise_recall from {TABLE}
        where scope = 'overall' and is_chosen_threshold
    """).fetchall()[0]
    con.close()
    failures = []
    if args.require_precision is not None and chosen[0] < args.require_precision:
        failures.append(f"precision {chosen[0]:.5f} < {args.require_precision}")
    if args.require_recall is not None and chosen[1] < args.require_recall:
        failures.append(f"recall {chosen[1]:.5f} < {args.require_recall}")
    if failures:
        print("evaluate-linkage: below target: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

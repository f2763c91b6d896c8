"""Person linkage on the test world, measured against the ground truth (the build stores the same figures
in evaluation.linkage_quality for the default world): pairwise precision at least 0.995 and recall at least
0.99, every staged person record linked exactly once. And the pairwise counts Splink's evaluation gives
(repeat_offending_tools.linkage_quality.pair_counts) against pairs counted one by one."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from repeat_offending_tools.linkage_quality import evaluate, pair_counts


def _records(rng: random.Random, n: int, prefix: str) -> list[dict[str, str]]:
    """Records with a true person id and a person id that merges and splits some people."""
    return [
        {
            "unique_id": f"{prefix}{i}",
            "person_id": f"p{rng.randrange(n // 3)}",
            "true_person_id": f"t{rng.randrange(n // 3)}",
        }
        for i in range(n)
    ]


def _brute_force(pairs: list[tuple[dict[str, str], dict[str, str]]]) -> tuple[int, int, int]:
    predicted = [a["person_id"] == b["person_id"] for a, b in pairs]
    true = [a["true_person_id"] == b["true_person_id"] for a, b in pairs]
    return sum(p and t for p, t in zip(predicted, true, strict=True)), sum(predicted), sum(true)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_splinks_pairwise_counts_are_the_pairs_counted_one_by_one(seed: int) -> None:
    rng = random.Random(seed)
    left, right = _records(rng, 40, "a"), _records(rng, 30, "b")
    within = pair_counts(pa.Table.from_pylist(left))
    between = pair_counts(pa.Table.from_pylist(left), pa.Table.from_pylist(right))
    assert within == _brute_force(list(itertools.combinations(left, 2)))
    assert between == _brute_force(list(itertools.product(left, right)))
    assert within[1] > within[0] and within[2] > within[0], "the sample has false positives and false negatives"
    assert pair_counts(pa.Table.from_pylist(left[:1])) == (0, 0, 0)


def test_linkage_quality_meets_the_targets(built_world: Path) -> None:
    con = duckdb.connect(str(built_world / "warehouse.duckdb"), read_only=True)
    threshold = con.sql(
        "select max(match_threshold) from evaluation.linkage_quality where is_chosen_threshold"
    ).fetchall()
    quality = evaluate(con, built_world / "truth", float(threshold[0][0]), thresholds=())
    overall = next(r for r in quality.to_pylist() if r["scope"] == "overall")
    print({k: overall[k] for k in ("records", "pairwise_precision", "pairwise_recall", "pairwise_f1")})
    assert overall["pairwise_precision"] >= 0.995
    assert overall["pairwise_recall"] >= 0.99


def test_every_staged_person_record_is_linked_exactly_once(built_world: Path) -> None:
    con = duckdb.connect(str(built_world / "warehouse.duckdb"), read_only=True)
    staged = con.sql("""
        select 'pnc.persons' as source_table, pnc_id as source_record_id from stg_pnc.persons
        union all select 'courts.defendants', defendant_id from stg_courts.defendants
        union all select 'prisons.prisoners', prison_number from stg_prisons.prisoners
        union all select 'probation.people', crn from stg_probation.people
        union all select 'oasys.assessments', assessment_id from stg_oasys.assessments
    """)
    con.register("staged", staged.to_arrow_table())
    missing, extra, repeated = con.sql("""
        select
            (select count(*) from staged anti join linked.person_links using (source_table, source_record_id)),
            (select count(*) from linked.person_links anti join staged using (source_table, source_record_id)),
            (select count(*) from (select source_table, source_record_id from linked.person_links
                                   group by all having count(*) > 1))
    """).fetchall()[0]
    assert (missing, extra, repeated) == (0, 0, 0)

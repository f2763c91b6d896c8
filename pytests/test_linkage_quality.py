"""Person linkage on the test world, measured against the ground truth (the build stores the same figures
in audit.linkage_quality for the default world): pairwise precision at least 0.995 and recall at least
0.99, every staged person record linked exactly once."""

from __future__ import annotations

from pathlib import Path

import duckdb
from repeat_offending.linkage.quality import evaluate


def test_linkage_quality_meets_the_targets(built_world: Path) -> None:
    con = duckdb.connect(str(built_world / "warehouse.duckdb"), read_only=True)
    threshold = con.sql("select max(match_threshold) from audit.linkage_quality where is_chosen_threshold").fetchall()
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

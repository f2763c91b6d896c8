"""Linkage quality against the ground truth: pairwise precision, recall and F1, over- and under-merged
clusters; overall, per pair of systems, per sex and ethnic group, and over match thresholds.

Pairwise measures count pairs of records: a *true pair* is two records of the same real person, a
*predicted pair* two records given the same person id. Precision = correct predicted pairs / predicted
pairs, recall = correct predicted pairs / true pairs. A cluster is *over-merged* when it holds records of
more than one real person; a person is *under-merged* when their records are split over several clusters.
For a sex or ethnic group, the measures are computed on the records of the real people in that group.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from .justice import cluster

THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999)

PAIRWISE_SQL = """
with groups as (
    select {scope} as scope_value, person_id, true_person_id, count(*) as n
    from evaluated {where} group by all
),
predicted as (select scope_value, person_id, sum(n) as n from groups group by all),
truth as (select scope_value, true_person_id, sum(n) as n from groups group by all),
per_scope as (
    select
        scope_value,
        sum(n) as records,
        sum(n * (n - 1) / 2) as true_positive_pairs
    from groups group by scope_value
)
select
    per_scope.scope_value,
    per_scope.records,
    per_scope.true_positive_pairs,
    (select sum(n * (n - 1) / 2) from predicted p where p.scope_value = per_scope.scope_value) as predicted_pairs,
    (select sum(n * (n - 1) / 2) from truth t where t.scope_value = per_scope.scope_value) as true_pairs,
    (select count(*) from (select person_id from groups g where g.scope_value = per_scope.scope_value
                           group by person_id having count(*) > 1)) as over_merged_clusters,
    (select count(*) from (select true_person_id from groups g where g.scope_value = per_scope.scope_value
                           group by true_person_id having count(*) > 1)) as under_merged_persons,
    (select count(distinct person_id) from groups g where g.scope_value = per_scope.scope_value) as clusters,
    (select count(distinct true_person_id) from groups g where g.scope_value = per_scope.scope_value) as persons
from per_scope
"""

# Pairs between records of two systems: per cluster, the product of the systems' record counts (or n(n-1)/2
# within one system).
SYSTEM_PAIR_SQL = """
with
predicted as (select person_id as k, source_system as s, count(*) as n from evaluated group by all),
truth as (select true_person_id as k, source_system as s, count(*) as n from evaluated group by all),
both_ as (select person_id || '|' || true_person_id as k, source_system as s, count(*) as n
          from evaluated group by all),
pairs as (
    select 'predicted' as kind, a.s as system_a, b.s as system_b,
           sum(case when a.s = b.s then a.n * (a.n - 1) / 2 else a.n * b.n end) as pairs
    from predicted a join predicted b on a.k = b.k and a.s <= b.s group by all
    union all
    select 'truth', a.s, b.s, sum(case when a.s = b.s then a.n * (a.n - 1) / 2 else a.n * b.n end)
    from truth a join truth b on a.k = b.k and a.s <= b.s group by all
    union all
    select 'correct', a.s, b.s, sum(case when a.s = b.s then a.n * (a.n - 1) / 2 else a.n * b.n end)
    from both_ a join both_ b on a.k = b.k and a.s <= b.s group by all
)
select system_a || ' - ' || system_b as scope_value,
       coalesce(sum(pairs) filter (where kind = 'correct'), 0) as true_positive_pairs,
       coalesce(sum(pairs) filter (where kind = 'predicted'), 0) as predicted_pairs,
       coalesce(sum(pairs) filter (where kind = 'truth'), 0) as true_pairs
from pairs group by all
"""


def _evaluated(con: duckdb.DuckDBPyConnection, links: pa.Table, truth_dir: Path) -> None:
    con.register("links", links)
    con.execute(f"""
        create or replace temp table evaluated as
        select l.source_system, l.source_table, l.source_record_id, l.person_id, t.true_person_id,
               p.sex, p.ethnicity_group
        from links as l
        inner join read_parquet('{truth_dir.as_posix()}/person_records.parquet') as t
            on t.source_table = l.source_table and t.source_record_id = l.source_record_id
        inner join read_parquet('{truth_dir.as_posix()}/people.parquet') as p using (true_person_id)
    """)


def _measures(con: duckdb.DuckDBPyConnection, scope: str, expression: str, threshold: float) -> pa.Table:
    return con.sql(f"""
        select '{scope}' as scope, scope_value::varchar as scope_value, {threshold}::double as match_threshold,
               records::bigint as records, clusters::bigint as clusters, persons::bigint as persons,
               true_pairs::double as true_pairs, predicted_pairs::double as predicted_pairs,
               true_positive_pairs::double as true_positive_pairs,
               true_positive_pairs / nullif(predicted_pairs, 0) as pairwise_precision,
               true_positive_pairs / nullif(true_pairs, 0) as pairwise_recall,
               over_merged_clusters::bigint as over_merged_clusters,
               under_merged_persons::bigint as under_merged_persons
        from ({PAIRWISE_SQL.format(scope=expression, where="")})
    """).to_arrow_table()


def evaluate(
    warehouse: duckdb.DuckDBPyConnection, truth_dir: Path, threshold: float, thresholds: tuple[float, ...] = THRESHOLDS
) -> pa.Table:
    """Quality of the person links in the warehouse, and of the clusters the scored links would give at
    each of ``thresholds``. One row per scope (overall, system pair, sex, ethnicity group) and threshold."""
    links = warehouse.sql(
        "select source_system, source_table, source_record_id, person_id from linked.person_links"
    ).to_arrow_table()
    con = duckdb.connect()
    parts = []
    _evaluated(con, links, truth_dir)
    for scope, expression in (
        ("overall", "'all records'"),
        ("sex", "coalesce(sex, 'unknown')"),
        ("ethnicity_group", "ethnicity_group"),
    ):
        parts.append(_measures(con, scope, expression, threshold))
    parts.append(
        con.sql(f"""
        select 'system_pair' as scope, scope_value::varchar as scope_value, {threshold}::double as match_threshold,
               null::bigint as records, null::bigint as clusters, null::bigint as persons,
               true_pairs::double as true_pairs, predicted_pairs::double as predicted_pairs,
               true_positive_pairs::double as true_positive_pairs,
               true_positive_pairs / nullif(predicted_pairs, 0) as pairwise_precision,
               true_positive_pairs / nullif(true_pairs, 0) as pairwise_recall,
               null::bigint as over_merged_clusters, null::bigint as under_merged_persons
        from ({SYSTEM_PAIR_SQL})
    """).to_arrow_table()
    )
    others = [other for other in thresholds if abs(other - threshold) >= 1e-12]
    if others:
        records = warehouse.sql("""
            select i.record_id, i.source_system, i.source_table, i.source_record_id, t.pnc_id_trusted,
                   i.postcode_district
            from linkage.person_identities as i inner join linkage.trusted_pnc_ids as t using (record_id)
            order by i.record_id
        """).to_arrow_table()
        edges = warehouse.sql("""
            select record_id_l, record_id_r, 1.0::double as match_probability, link_method
            from linkage.deterministic_edges
            union all
            select record_id_l, record_id_r, match_probability, link_method from linkage.match_edges
        """).to_arrow_table()
    for other in others:
        reclustered = cluster(records, edges, other)
        relinked = pa.table(
            {
                "source_system": records.column("source_system"),
                "source_table": records.column("source_table"),
                "source_record_id": records.column("source_record_id"),
                "person_id": reclustered.column("person_id"),
            }
        )
        _evaluated(con, relinked, truth_dir)
        parts.append(_measures(con, "overall", "'all records'", other))
    con.register("result", pa.concat_tables(parts))
    return con.sql(
        """
        select *, 2 * pairwise_precision * pairwise_recall / nullif(pairwise_precision + pairwise_recall, 0)
                  as pairwise_f1,
               match_threshold = ? as is_chosen_threshold
        from result order by scope, scope_value, match_threshold
    """,
        params=[threshold],
    ).to_arrow_table()

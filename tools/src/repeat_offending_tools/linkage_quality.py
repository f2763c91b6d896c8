"""Linkage quality against the ground truth: pairwise precision, recall and F1, over- and under-merged
clusters; overall, per pair of systems, per sex and ethnic group, and over match thresholds.

Pairwise measures count pairs of records: a *true pair* is two records of the same real person, a
*predicted pair* two records given the same person id. Precision = correct predicted pairs / predicted
pairs, recall = correct predicted pairs / true pairs. A cluster is *over-merged* when it holds records of
more than one real person; a person is *under-merged* when their records are split over several clusters.
For a sex or ethnic group, the measures are computed on the records of the real people in that group.

The pairwise counts come from Splink's own evaluation (``linker.evaluation.accuracy_analysis_from_labels_column``,
its truth-space table) run on the person ids: a pair is predicted when its two records share a person id
(the one blocking rule and the one comparison of a fixed model), and true when they share the true person
id (the labels column). Splink counts true positives, false positives and false negatives; the cluster
measures (over- and under-merged) are counted here, since Splink's evaluation has none against a truth.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pyarrow as pa
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from repeat_offending.linkage.justice import cluster

THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999)

CLUSTER_SQL = """
with groups as (
    select {scope} as scope_value, person_id, true_person_id, count(*) as n
    from evaluated group by all
)
select
    scope_value,
    sum(n) as records,
    count(distinct person_id) as clusters,
    count(distinct true_person_id) as persons,
    (select count(*) from (select person_id from groups g where g.scope_value = s.scope_value
                           group by person_id having count(*) > 1)) as over_merged_clusters,
    (select count(*) from (select true_person_id from groups g where g.scope_value = s.scope_value
                           group by true_person_id having count(*) > 1)) as under_merged_persons
from groups as s
group by scope_value
"""

SAME_PERSON_ID = cl.ExactMatch("person_id").configure(m_probabilities=[0.99, 0.01], u_probabilities=[0.01, 0.99])
"""The fixed model Splink's evaluation scores: a pair is predicted (positive match weight) exactly when its two
records share a person id."""


def pair_counts(
    left: pa.Table, right: pa.Table | None = None, config: dict[str, str] | None = None
) -> tuple[int, int, int]:
    """(true positive, predicted, true) pairs among the records of ``left`` (or, with ``right``, between the
    records of ``left`` and those of ``right``), counted by Splink's evaluation in a DuckDB database of its
    own, opened with ``config`` (memory limit, spill folder). The tables have the columns unique_id, person_id
    and true_person_id."""
    tables = [left] if right is None else [left, right]
    if any(table.num_rows == 0 for table in tables):
        return 0, 0, 0
    settings = SettingsCreator(
        link_type="dedupe_only" if right is None else "link_only",
        probability_two_random_records_match=0.5,  # no prior: the match weight is the comparison's alone
        comparisons=[SAME_PERSON_ID],
        blocking_rules_to_generate_predictions=[block_on("person_id")],
        additional_columns_to_retain=["true_person_id"],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    # Closed at once: a database left to the garbage collector keeps its memory while the next one fills (the
    # evaluation's peak at 1 million people grew so from 6 to 8 GiB).
    connection = duckdb.connect(config=config or {})
    try:
        db_api = DuckDBAPI(connection=connection)
        frames = [db_api.register(table) for table in tables]
        linker = Linker(frames if right is not None else frames[0], settings, log_level=logging.WARNING)
        truth_space = linker.evaluation.accuracy_analysis_from_labels_column(
            "true_person_id",
            output_type="table",
            match_weight_round_to_nearest=None,
            positives_not_captured_by_blocking_rules_scored_as_zero=False,
        ).as_record_list()
    finally:
        connection.close()
    if not truth_space:  # no pair shares a person id or a true person id
        return 0, 0, 0
    true_pairs = int(truth_space[0]["p"])
    # Rows by match weight: positive for pairs sharing a person id (the predicted ones), negative otherwise.
    predicted = [row for row in truth_space if row["truth_threshold"] > 0]
    if not predicted:
        return 0, 0, true_pairs
    tp, fp = int(predicted[0]["tp"]), int(predicted[0]["fp"])
    return tp, tp + fp, true_pairs


def _evaluated(con: duckdb.DuckDBPyConnection, links: pa.Table | pa.RecordBatchReader, truth_dir: Path) -> None:
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


def _subset(con: duckdb.DuckDBPyConnection, where: str) -> pa.Table:
    """The evaluated records matching ``where``, as Splink's evaluation reads them."""
    return con.sql(f"""
        select source_table || ':' || source_record_id as unique_id, person_id, true_person_id
        from evaluated where {where}
    """).to_arrow_table()


def _measures(
    con: duckdb.DuckDBPyConnection, scope: str, expression: str, threshold: float, config: dict[str, str]
) -> pa.Table:
    clusters = con.sql(CLUSTER_SQL.format(scope=expression)).fetchall()
    rows = []
    for scope_value, records, n_clusters, persons, over_merged, under_merged in clusters:
        literal = "null" if scope_value is None else "'" + str(scope_value).replace("'", "''") + "'"
        subset = _subset(con, f"({expression}) is not distinct from {literal}")
        tp, predicted, true = pair_counts(subset, config=config)
        rows.append((scope_value, records, n_clusters, persons, true, predicted, tp, over_merged, under_merged))
    return _table(con, scope, threshold, rows)


def _system_pairs(con: duckdb.DuckDBPyConnection, threshold: float, config: dict[str, str]) -> pa.Table:
    """Pairs between the records of two systems (or within one), for every pair of systems that share a
    person id or a true person id (every system with itself)."""
    systems = [row[0] for row in con.sql("select distinct source_system from evaluated order by 1").fetchall()]
    rows = []
    for i, a in enumerate(systems):
        for b in systems[i:]:
            left = _subset(con, f"source_system = '{a}'")
            if a == b:
                tp, predicted, true = pair_counts(left, config=config)
            else:
                tp, predicted, true = pair_counts(left, _subset(con, f"source_system = '{b}'"), config)
                if predicted == 0 and true == 0:
                    continue
            rows.append((f"{a} - {b}", None, None, None, true, predicted, tp, None, None))
    return _table(con, "system_pair", threshold, rows)


def _table(con: duckdb.DuckDBPyConnection, scope: str, threshold: float, rows: list[tuple]) -> pa.Table:
    columns = (
        "scope_value",
        "records",
        "clusters",
        "persons",
        "true_pairs",
        "predicted_pairs",
        "true_positive_pairs",
        "over_merged_clusters",
        "under_merged_persons",
    )
    measured = pa.table({name: [row[i] for row in rows] for i, name in enumerate(columns)})
    con.register("measured", measured)
    return con.sql(f"""
        select '{scope}' as scope, scope_value::varchar as scope_value, {threshold}::double as match_threshold,
               records::bigint as records, clusters::bigint as clusters, persons::bigint as persons,
               true_pairs::double as true_pairs, predicted_pairs::double as predicted_pairs,
               true_positive_pairs::double as true_positive_pairs,
               true_positive_pairs::double / nullif(predicted_pairs, 0) as pairwise_precision,
               true_positive_pairs::double / nullif(true_pairs, 0) as pairwise_recall,
               over_merged_clusters::bigint as over_merged_clusters,
               under_merged_persons::bigint as under_merged_persons
        from measured
    """).to_arrow_table()


def evaluate(
    warehouse: duckdb.DuckDBPyConnection,
    truth_dir: Path,
    threshold: float,
    thresholds: tuple[float, ...] = THRESHOLDS,
    config: dict[str, str] | None = None,
) -> pa.Table:
    """Quality of the person links in the warehouse, and of the clusters the scored links would give at
    each of ``thresholds``. One row per scope (overall, system pair, sex, ethnicity group) and threshold.
    The work happens in DuckDB databases opened with ``config`` (memory limit; spill folder, given to the
    pair counts with a suffix, as two databases never share one); the links are streamed into them from the
    warehouse."""
    con = duckdb.connect(config=config or {})
    if config and "temp_directory" in config:
        config = {**config, "temp_directory": config["temp_directory"] + "-pairs"}
    config = config or {}
    links = warehouse.sql(
        "select source_system, source_table, source_record_id, person_id from linked.person_links"
    ).to_arrow_reader()
    parts = []
    _evaluated(con, links, truth_dir)
    for scope, expression in (
        ("overall", "'all records'"),
        ("sex", "coalesce(sex, 'unknown')"),
        ("ethnicity_group", "ethnicity_group"),
    ):
        parts.append(_measures(con, scope, expression, threshold, config))
    parts.append(_system_pairs(con, threshold, config))
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
        parts.append(_measures(con, "overall", "'all records'", other, config))
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

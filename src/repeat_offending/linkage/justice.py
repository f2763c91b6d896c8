"""Person linkage across the five justice systems: probabilistic scoring and constrained clustering.

The deterministic rules are SQL models in the dbt project (`linkage__trusted_pnc_ids`: the *shared PNC id*
rule; `linkage__deterministic_edges`: links through PNC ids, case reference numbers and prison numbers).
This module does the rest:

1. Records with identical identity details (names, date of birth, sex, postcode, trusted PNC id) form one
   *profile*; they are linked to each other (`identical_details`) and the model scores pairs of profiles,
   so repeated identical records cost nothing.
2. A Splink model (see ``model.py``) scores pairs of profiles over names, date of birth, sex, postcode and
   the trusted PNC id, with parameters estimated from the data.
3. Clustering: deterministic links first (connected components); then probabilistic links at or above the
   match threshold, strongest first, each joining two clusters unless that would put two different
   trusted PNC ids in one person without support. This is the *two PNC ids* rule: one person may hold two
   PNC ids by mistake, but two clusters with different PNC ids are only joined by a link between records
   that also share a postcode district. Without it, two different people with the same name and date of
   birth would be joined through any record that resembles both.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from repeat_offending.project import dbt_var

from .clusters import connected, node_dtype
from .model import (
    ModelOptions,
    PersonColumns,
    load_trained,
    predict_table,
    predict_touching_tables,
    term_frequency_columns,
    term_frequency_sql,
    train,
)
from .person_ids import PERSON_IDS_TABLE, assign_person_ids, plain_person_id_sql

PROFILE_COLUMNS: tuple[str, ...] = tuple(dbt_var("linkage_profile_columns"))  # the identity details of a profile
JUSTICE_COLUMNS = PersonColumns(
    unique_id="profile_id",
    forename="forename",
    surname="surname",
    date_of_birth="date_of_birth",
    forename_canonical="forename_canonical",
    middle_name="middle_name",
    sex="sex",
    postcode="postcode",
    identifier="pnc_id_trusted",
)
DETERMINISTIC_METHODS = ("pnc_id", "system_id", "identical_details")
METHOD_PRIORITY = ("pnc_id", "system_id", "probabilistic", "identical_details")
PERSON_LINKS_TABLE = "_person_link_people"  # the temporary table cluster_in_database fills


@dataclass
class ScoredLinks:
    edges: pa.RecordBatchReader  # record_id_l, record_id_r, match_probability, link_method
    model_json: dict


def score_probabilistic(
    records: pa.Table | pa.RecordBatchReader,
    options: ModelOptions | None = None,
    threads: int = 2,
    memory_limit: str | None = None,
    temp_directory: str | None = None,
    trained: dict | None = None,
    term_frequencies: Mapping[str, Path] | None = None,
    save_term_frequencies: Mapping[str, Path] | None = None,
    changed_records: pa.Table | None = None,
) -> ScoredLinks:
    """Identical-details links and the model's scored links between profiles (mapped to one representative
    record per profile). ``records`` has record_id and the identity columns of PROFILE_COLUMNS. The model
    is trained on them unless ``trained`` (a saved model, ``ScoredLinks.model_json``) gives its parameters.
    The names' term-frequency lookups are computed over the profiles unless ``term_frequencies`` gives them
    (column -> Parquet file of a saved model); ``save_term_frequencies`` (column -> file) saves those used.

    With ``changed_records`` (a table of record_id: the records of the profiles whose records changed since
    the links were last scored, with the same saved model and lookups) only the links of those profiles are
    made: the identical-details links of their records, and the scored links of every pair with at least
    one of them (``model.predict_touching_tables``). Every other link is as it was, since a pair's score
    depends on the two profiles, the model and the lookups only (a refresh: docs/methodology.md section 10).

    The work happens in a private DuckDB database bounded by ``memory_limit`` that spills to
    ``temp_directory``; the links are streamed out, so at national scale (40 million records) nothing of
    that size is held in Python. ``repeat_offending.linkage.spark_linkage`` does the same on Spark."""
    if changed_records is not None and (trained is None or term_frequencies is None):
        raise ValueError("scoring the changed records only needs a saved model and its term frequencies")
    config: dict[str, str | int] = {"threads": threads}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if temp_directory:
        config["temp_directory"] = temp_directory
    con = duckdb.connect(config=config)
    con.register("records_in", records)
    columns = ", ".join(PROFILE_COLUMNS)
    con.execute(f"""
        create table record_profiles as
        select record_id, {columns}, dense_rank() over (order by {columns}) as profile_id
        from records_in
    """)
    con.unregister("records_in")
    con.execute(f"""
        create table profiles as
        select profile_id, {", ".join(f"any_value({c}) as {c}" for c in PROFILE_COLUMNS)},
               min(record_id) as representative_id
        from record_profiles group by profile_id
    """)
    con.execute(f"create view profile_identities as select profile_id, {columns} from profiles")
    lookups = {}
    for column in term_frequency_columns(JUSTICE_COLUMNS):
        lookups[column] = f"term_frequency_lookup_{column}"
        if term_frequencies is None:
            looked_up = term_frequency_sql(column, "profile_identities")
        else:
            looked_up = f'select "{column}", "tf_{column}" from read_parquet({_quoted(term_frequencies[column])})'
        con.execute(f"create table {lookups[column]} as {looked_up}")
        if save_term_frequencies is not None:
            save_term_frequencies[column].parent.mkdir(parents=True, exist_ok=True)
            con.execute(f"copy {lookups[column]} to {_quoted(save_term_frequencies[column])} (format parquet)")
    if trained is None:
        model = train("profile_identities", JUSTICE_COLUMNS, options, threads=threads, con=con)
    else:
        model = load_trained("profile_identities", JUSTICE_COLUMNS, trained, options, threads=threads, con=con)
    model.use_term_frequencies(lookups)
    uid = JUSTICE_COLUMNS.unique_id
    if changed_records is None:
        predictions = predict_table(model, options)
        pairs = f"select {uid}_l as profile_l, {uid}_r as profile_r, match_probability from {predictions}"
        identical = "profiles"
    else:
        con.register("changed_in", changed_records)
        con.execute("""
            create table changed_profiles as
            select distinct profile_id from record_profiles semi join changed_in using (record_id)
        """)
        con.unregister("changed_in")
        for name, how in (("changed_identities", "semi"), ("unchanged_identities", "anti")):
            selected = f"select * from profile_identities {how} join changed_profiles using ({uid})"
            con.execute(f"create view {name} as {selected}")
        within, between = predict_touching_tables(model, "changed_identities", "unchanged_identities", options)
        # The full scoring's pairs have the smaller profile id on the left (Splink's dedupe order).
        pairs = " union all ".join(
            f"select least({uid}_l, {uid}_r) as profile_l, greatest({uid}_l, {uid}_r) as profile_r, match_probability "
            f"from {table}"
            for table in (within, between)
        )
        identical = "profiles semi join changed_profiles using (profile_id)"
    edges = con.sql(f"""
        select pl.representative_id as record_id_l, pr.representative_id as record_id_r,
               e.match_probability, 'probabilistic' as link_method
        from ({pairs}) as e
        inner join profiles as pl on e.profile_l = pl.profile_id
        inner join profiles as pr on e.profile_r = pr.profile_id
        union all
        select p.representative_id, rp.record_id, 1.0, 'identical_details'
        from record_profiles as rp inner join (select * from {identical}) as p using (profile_id)
        where rp.record_id != p.representative_id
        order by 1, 2
    """).to_arrow_reader()

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            yield from edges
        finally:
            con.close()

    return ScoredLinks(edges=pa.RecordBatchReader.from_batches(edges.schema, batches()), model_json=model.parameters())


def _quoted(path: Path) -> str:
    """``path`` as a SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


class _Clusters:
    """Union-find over clusters, each carrying the set of trusted PNC ids (as integer codes) of its records."""

    def __init__(self, pnc_sets: list[frozenset[int]]) -> None:
        self.parent = list(range(len(pnc_sets)))
        self.pnc = list(pnc_sets)

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def join(self, a: int, b: int, ids_may_differ: bool) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        sa, sb = self.pnc[ra], self.pnc[rb]
        if sa and sb and sa.isdisjoint(sb) and not ids_may_differ:
            return False
        self.parent[rb] = ra
        self.pnc[ra] = sa | sb
        return True


@dataclass
class NodeLinks:
    """What clustering decides for each node (record) 0..n-1."""

    labels: np.ndarray  # cluster of each node
    method_rank: np.ndarray  # index in METHOD_PRIORITY of the strongest link used, len(METHOD_PRIORITY) if none
    probability: np.ndarray  # the highest match probability among the links used (1.0 if deterministic)


def cluster_nodes(
    n_nodes: int,
    left: np.ndarray,
    right: np.ndarray,
    probability: np.ndarray,
    method_rank: np.ndarray,
    same_district: np.ndarray,
    pnc_code: np.ndarray,
    threshold: float,
) -> NodeLinks:
    """The clustering rules on integer arrays. Nodes are records numbered in record-id order; an edge joins
    ``left[i]`` and ``right[i]`` with ``probability[i]`` and the method ``METHOD_PRIORITY[method_rank[i]]``;
    ``same_district[i]`` says whether its records share a postcode district; ``pnc_code`` is the trusted PNC
    id of each node as an integer code (-1 if none)."""
    # Every array is as narrow as it can be (node numbers int32, ranks int8) and every temporary is taken
    # over the edges it concerns only: at national scale (forty million records, some eighty million links)
    # each array the size of the links costs a third of a gigabyte per byte of its type.
    dtype = node_dtype(n_nodes)
    left = np.asarray(left, dtype=dtype)
    right = np.asarray(right, dtype=dtype)
    method_rank = np.asarray(method_rank, dtype=np.int8)
    deterministic = np.isin(method_rank, [METHOD_PRIORITY.index(m) for m in DETERMINISTIC_METHODS])
    base = connected(n_nodes, left[deterministic], right[deterministic])

    # Probabilistic links between deterministic clusters, strongest first (ties in node order, so the
    # result is deterministic). Only the clusters they touch need the union-find.
    candidate = np.flatnonzero(~deterministic & (probability >= threshold))
    candidate = candidate[base[left[candidate]] != base[right[candidate]]]
    candidate = candidate[np.lexsort((right[candidate], left[candidate], -probability[candidate]))]
    touched = np.unique(np.concatenate([base[left[candidate]], base[right[candidate]]]))
    with_pnc = np.flatnonzero(pnc_code >= 0)
    cluster_pnc = np.unique(np.stack([base[with_pnc], pnc_code[with_pnc]], axis=1), axis=0)
    del with_pnc
    cluster_pnc = cluster_pnc[np.isin(cluster_pnc[:, 0], touched)]
    pnc_sets: list[set[int]] = [set() for _ in range(len(touched))]
    positions = np.searchsorted(touched, cluster_pnc[:, 0]).tolist()
    for position, code in zip(positions, cluster_pnc[:, 1].tolist(), strict=True):
        pnc_sets[position].add(code)
    del positions, cluster_pnc
    clusters = _Clusters([frozenset(s) for s in pnc_sets])
    del pnc_sets
    accepted = np.zeros(len(left), dtype=bool)
    joins = zip(
        candidate.tolist(),
        np.searchsorted(touched, base[left[candidate]]).tolist(),
        np.searchsorted(touched, base[right[candidate]]).tolist(),
        same_district[candidate].tolist(),
        strict=True,
    )
    for edge, a, b, ids_may_differ in joins:
        accepted[edge] = clusters.join(a, b, bool(ids_may_differ))
    del joins, candidate
    root_of = np.arange(base.max() + 1 if n_nodes else 0, dtype=dtype)
    root_of[touched] = touched[[clusters.find(i) for i in range(len(touched))]]
    del clusters
    labels = root_of[base]
    del root_of, base

    # How each node is attached: the strongest kind of link it has among those used.
    used = np.flatnonzero(deterministic | accepted)
    del deterministic, accepted
    used_rank = method_rank[used]
    used_probability = np.where(used_rank == METHOD_PRIORITY.index("probabilistic"), probability[used], 1.0)
    best_rank = np.full(n_nodes, len(METHOD_PRIORITY), dtype=np.int8)
    best_probability = np.zeros(n_nodes)
    for side in (left, right):
        nodes = side[used]
        np.minimum.at(best_rank, nodes, used_rank)
        np.maximum.at(best_probability, nodes, used_probability)
        del nodes
    alone = np.bincount(labels, minlength=int(labels.max()) + 1 if n_nodes else 0)[labels] == 1
    best_rank[alone] = len(METHOD_PRIORITY)
    return NodeLinks(labels=labels, method_rank=best_rank, probability=best_probability)


def cluster_in_database(
    con: duckdb.DuckDBPyConnection, records: str, edges: str, threshold: float
) -> duckdb.DuckDBPyRelation:
    """Plain person id, link method, match probability and the cluster's smallest record id
    (cluster_record_id) of every record, as a relation of ``con``.

    ``records`` names a table or view with record_id, pnc_id_trusted and postcode_district; ``edges`` one
    with record_id_l, record_id_r, match_probability and link_method (deterministic and probabilistic links
    together). Strings stay in DuckDB: the clustering itself sees integer arrays only, so forty million
    records cost a few gigabytes. Temporary tables named ``_person_link_*`` are made in ``con``; the result
    is PERSON_LINKS_TABLE."""
    rank_of_method = " ".join(f"when '{m}' then {i}" for i, m in enumerate(METHOD_PRIORITY))
    con.execute(f"""
        create or replace temp table _person_link_nodes as
        select
            record_id,
            row_number() over (order by record_id) - 1 as node,
            case
                when pnc_id_trusted is null then -1
                else dense_rank() over (order by pnc_id_trusted nulls last) - 1
            end as pnc_code,
            postcode_district
        from {records}
    """)
    # node numbers and PNC codes leave DuckDB as narrow as the numpy arrays they become (no copy on the way)
    n_records = con.sql("select count(*) from _person_link_nodes").fetchall()[0][0]
    node_type = "integer" if node_dtype(n_records) == np.int32 else "bigint"
    con.execute(f"""
        create or replace temp table _person_link_edges as
        select
            cast(l.node as {node_type}) as node_l,
            cast(r.node as {node_type}) as node_r,
            e.match_probability,
            cast(case e.link_method {rank_of_method} end as tinyint) as method_rank,
            coalesce(l.postcode_district = r.postcode_district, false) as same_district
        from {edges} as e
        left join _person_link_nodes as l on e.record_id_l = l.record_id
        left join _person_link_nodes as r on e.record_id_r = r.record_id
        where e.link_method != 'probabilistic' or e.match_probability >= {float(threshold)!r}
    """)
    unknown = con.sql(
        "select count(*) from _person_link_edges where node_l is null or node_r is null or method_rank is null"
    ).fetchall()[0][0]
    if unknown:
        raise ValueError(f"{unknown} edges refer to records that are not nodes or have an unknown link method")
    nodes = con.sql(
        f"select cast(pnc_code as {node_type}) as pnc_code from _person_link_nodes order by node"
    ).to_arrow_table()
    links = con.sql("select * from _person_link_edges").to_arrow_table()

    def column(table: pa.Table, name: str) -> np.ndarray:
        return table.column(name).to_numpy()

    result = cluster_nodes(
        nodes.num_rows,
        column(links, "node_l"),
        column(links, "node_r"),
        column(links, "match_probability").astype(float, copy=False),
        column(links, "method_rank"),
        column(links, "same_district"),
        column(nodes, "pnc_code"),
        threshold,
    )
    del links
    con.register(
        "_person_link_result",
        pa.table(
            {
                "node": np.arange(nodes.num_rows, dtype=node_dtype(nodes.num_rows)),
                "label": result.labels,
                "method_rank": result.method_rank,
                "probability": result.probability,
            }
        ),
    )
    # A cluster is known by its smallest record id; its plain person id is a hash of it, so it is the same
    # between runs. Release builds then carry ids over from the previous release (person_ids.py).
    methods = ", ".join(f"'{m}'" for m in (*METHOD_PRIORITY, "none"))
    con.execute(f"""
        create or replace temp table {PERSON_LINKS_TABLE} as
        select
            record_id,
            {plain_person_id_sql("cluster_record_id")} as person_id,
            link_method,
            match_probability,
            cluster_record_id
        from (
            select
                n.record_id,
                min(n.record_id) over (partition by r.label) as cluster_record_id,
                [{methods}][r.method_rank + 1] as link_method,
                case when r.method_rank < {len(METHOD_PRIORITY)} then r.probability end as match_probability
            from _person_link_nodes as n
            inner join _person_link_result as r using (node)
        )
    """)
    con.unregister("_person_link_result")
    return con.table(PERSON_LINKS_TABLE)


def person_links(
    con: duckdb.DuckDBPyConnection,
    records: str,
    edges: str,
    previous_links: str,
    issued_ids: str,
    threshold: float,
) -> duckdb.DuckDBPyRelation:
    """The person link table (linked.person_links), as a relation of ``con``: source_system, source_table,
    source_record_id, person_id, link_method, match_probability and record_id of every record, in
    record-id order. Clustering (``cluster_in_database``) and then stable person ids
    (``person_ids.assign_person_ids``).

    ``records`` names a table or view with record_id, source_system, source_table, source_record_id,
    postcode_district and pnc_id_trusted; ``edges`` one with every link (record_id_l, record_id_r,
    match_probability, link_method); ``previous_links`` and ``issued_ids`` as for ``assign_person_ids``."""
    cluster_in_database(con, records, edges, threshold)
    assign_person_ids(con, PERSON_LINKS_TABLE, previous_links, issued_ids)
    return con.sql(f"""
        select
            r.source_system,
            r.source_table,
            r.source_record_id,
            a.person_id,
            l.link_method,
            l.match_probability,
            r.record_id
        from {records} as r
        inner join {PERSON_LINKS_TABLE} as l using (record_id)
        inner join {PERSON_IDS_TABLE} as a using (cluster_record_id)
        order by r.record_id
    """)


def cluster(records: pa.Table, edges: pa.Table, threshold: float) -> pa.Table:
    """``cluster_in_database`` on Arrow tables: record_id, person_id, link_method, match_probability."""
    con = duckdb.connect()
    con.register("records", records)
    con.register("edges", edges)
    result = (
        cluster_in_database(con, "records", "edges", threshold)
        .select("record_id, person_id, link_method, match_probability")
        .order("record_id")
        .to_arrow_table()
    )
    con.close()
    return result

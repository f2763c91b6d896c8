"""Stable person ids across releases (docs/methodology.md section 10).

Clustering (``justice.cluster_in_database``) decides which records are one person; this module decides what
that person is called. Without a previous release every person gets the *plain* id, ``'P'`` and the first
12 hex digits of the SHA-256 of its smallest record id, upper case. With one, ids carry over:

1. **Candidates.** Every pair of a new cluster and a previous person id that share at least one record,
   with ``overlap`` (records shared) and ``share`` (``overlap`` over the previous person's records in the
   previous release).
2. **Matching.** Pairs are ranked by overlap (descending), share (descending), previous id (ascending),
   then the cluster's smallest record id (ascending): a strict total order, as no two pairs have both the
   same previous id and the same cluster. Going down the ranking, a pair is accepted when neither its
   cluster nor its previous id is taken yet (greedy). The cluster keeps that previous id.
3. **New ids.** A cluster left without an id (no previous records, or every candidate taken by a better
   pair) gets its plain id unless that id was ever issued in this lineage (a previous release's person id
   or any id of the person id history) or is already held in this release; then the variant
   ``'P' || upper(left(sha256(smallest record id || '#' || n), 12))`` with the smallest ``n >= 1`` that is
   free. Clusters are served in order of their smallest record id. So an id is never reused: not for
   another person, nor for a person whose id was retired and whose records come back.

The greedy matching is computed in rounds of *mutually best* pairs (the best remaining pair of both its
cluster and its previous id), which for a strict total order accepts exactly the pairs the one-by-one
greedy accepts: each round's pairs are disjoint and the greedy would accept each of them, because every pair
ranked above one of them has a side that is taken or will be. The rounds run on integer numpy arrays (ten
million pairs: about two seconds on two cores) and strings stay in DuckDB, whose joins dominate: about 17 s
for 16 million records with a previous release, 4 s without, so roughly 45 s and 12 s at 42 million.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

PERSON_IDS_TABLE = "_person_id_assignment"  # the temporary table assign_person_ids fills
MAX_VARIANT = 1000  # a cluster needing more variants than this means the inputs are wrong


def plain_person_id_sql(record_id: str) -> str:
    """SQL for the plain person id of a cluster whose smallest record id is the expression ``record_id``."""
    return f"'P' || upper(left(sha256({record_id}), 12))"


def variant_person_id_sql(record_id: str, n: str) -> str:
    """SQL for the ``n``-th variant of the person id of a cluster with smallest record id ``record_id``."""
    return f"'P' || upper(left(sha256({record_id} || '#' || cast({n} as varchar)), 12))"


def greedy_matching(
    cluster: np.ndarray, previous: np.ndarray, overlap: np.ndarray, previous_size: np.ndarray
) -> np.ndarray:
    """The pairs the greedy rule accepts, as a boolean mask over the pairs.

    Pair ``i`` joins cluster ``cluster[i]`` and previous id ``previous[i]`` (integer codes, in the order of
    the cluster's smallest record id and of the previous id), which share ``overlap[i]`` records out of the
    previous person's ``previous_size[i]``. Pairs must be distinct. Ranked by overlap desc, share desc,
    previous asc, cluster asc; accepted in rounds of mutually best pairs (see the module docstring)."""
    cluster = np.asarray(cluster, dtype=np.int64)
    previous = np.asarray(previous, dtype=np.int64)
    overlap = np.asarray(overlap, dtype=np.int64)
    previous_size = np.asarray(previous_size, dtype=np.int64)
    if np.any(overlap <= 0) or np.any(previous_size < overlap):
        raise ValueError("every pair needs 0 < overlap <= the previous person's size")
    accepted = np.zeros(len(cluster), dtype=bool)
    if not len(cluster):
        return accepted
    # Equal shares are equal fractions, which divide to the same double; different fractions of counts
    # below 2**26 differ by more than a double's rounding.
    share = overlap / previous_size
    order = np.lexsort((cluster, previous, -share, -overlap))  # the last key sorts first
    remaining = order  # pair indices, best first
    cluster_taken = np.zeros(int(cluster.max()) + 1, dtype=bool)
    previous_taken = np.zeros(int(previous.max()) + 1, dtype=bool)
    while len(remaining):
        # The first pair of a cluster (of a previous id) in rank order is its best remaining pair.
        best_of_cluster = _first_occurrences(cluster[remaining])
        best_of_previous = _first_occurrences(previous[remaining])
        mutual = remaining[best_of_cluster & best_of_previous]
        accepted[mutual] = True
        cluster_taken[cluster[mutual]] = True
        previous_taken[previous[mutual]] = True
        remaining = remaining[~cluster_taken[cluster[remaining]] & ~previous_taken[previous[remaining]]]
    return accepted


def _first_occurrences(values: np.ndarray) -> np.ndarray:
    """Mask of the positions holding the first occurrence of their value."""
    first = np.zeros(len(values), dtype=bool)
    _, index = np.unique(values, return_index=True)
    first[index] = True
    return first


def assign_person_ids(
    con: duckdb.DuckDBPyConnection, clusters: str, previous_links: str, issued_ids: str
) -> duckdb.DuckDBPyRelation:
    """The person id of every cluster, as a relation of ``con`` (cluster_record_id, person_id, is_new_id).

    ``clusters`` names a table or view with record_id and cluster_record_id (the smallest record id of the
    record's cluster); ``previous_links`` one with record_id and person_id, the previous release's person
    links (empty for a first release); ``issued_ids`` one with person_id, every id issued in this lineage
    before this release (the previous release's ids and its person id history; may repeat). Temporary tables
    named ``_person_id_*`` are made in ``con``; the result is PERSON_IDS_TABLE."""
    con.execute(f"""
        create or replace temp table _person_id_clusters as
        select cluster_record_id, row_number() over (order by cluster_record_id) - 1 as cluster_code
        from (select distinct cluster_record_id from {clusters})
    """)
    con.execute(f"""
        create or replace temp table _person_id_previous as
        select person_id, row_number() over (order by person_id) - 1 as previous_code, count(*) as records
        from {previous_links}
        group by person_id
    """)
    pairs = con.sql(f"""
        select c.cluster_code, p.previous_code, count(*) as overlap, any_value(p.records) as previous_size
        from {clusters} as r
        inner join {previous_links} as l using (record_id)
        inner join _person_id_clusters as c using (cluster_record_id)
        inner join _person_id_previous as p on l.person_id = p.person_id
        group by c.cluster_code, p.previous_code
    """).fetchnumpy()
    cluster_code = np.asarray(pairs["cluster_code"], dtype=np.int64)
    previous_code = np.asarray(pairs["previous_code"], dtype=np.int64)
    accepted = greedy_matching(cluster_code, previous_code, pairs["overlap"], pairs["previous_size"])
    con.register(
        "_person_id_kept_codes",
        pa.table({"cluster_code": cluster_code[accepted], "previous_code": previous_code[accepted]}),
    )
    con.execute(f"""
        create or replace temp table _person_id_taken as
        select person_id from {issued_ids} where person_id is not null
        union
        select person_id from _person_id_previous
    """)
    con.execute(f"""
        create or replace temp table {PERSON_IDS_TABLE} as
        select c.cluster_record_id, p.person_id, false as is_new_id
        from _person_id_kept_codes as k
        inner join _person_id_clusters as c using (cluster_code)
        inner join _person_id_previous as p using (previous_code)
    """)
    con.unregister("_person_id_kept_codes")
    _issue_new_ids(con)
    return con.table(PERSON_IDS_TABLE)


def _issue_new_ids(con: duckdb.DuckDBPyConnection) -> None:
    """Give every cluster without an id in PERSON_IDS_TABLE its plain id, or the first free variant."""
    con.execute(f"""
        create or replace temp table _person_id_waiting as
        select cluster_record_id from _person_id_clusters
        anti join {PERSON_IDS_TABLE} using (cluster_record_id)
    """)
    n = 0
    while con.sql("select count(*) from _person_id_waiting").fetchall()[0][0]:
        if n > MAX_VARIANT:
            raise RuntimeError(f"no free person id within {MAX_VARIANT} variants: the issued ids are not person ids")
        candidate = (
            plain_person_id_sql("cluster_record_id") if n == 0 else variant_person_id_sql("cluster_record_id", str(n))
        )
        # A candidate is free when no earlier release issued it, no cluster holds it, and no cluster with a
        # smaller record id asks for it in this round.
        con.execute(f"""
            create or replace temp table _person_id_granted as
            with candidates as (
                select cluster_record_id, {candidate} as person_id from _person_id_waiting
            )
            select cluster_record_id, person_id
            from candidates
            anti join _person_id_taken using (person_id)
            anti join {PERSON_IDS_TABLE} using (person_id)
            qualify row_number() over (partition by person_id order by cluster_record_id) = 1
        """)
        con.execute(f"insert into {PERSON_IDS_TABLE} select cluster_record_id, person_id, true from _person_id_granted")
        con.execute("""
            delete from _person_id_waiting as w
            using _person_id_granted as g
            where w.cluster_record_id = g.cluster_record_id
        """)
        n += 1

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

import hashlib
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from .clusters import connected
from .model import ModelOptions, PersonColumns, predict_edges, train

PROFILE_COLUMNS = (
    "forename",
    "forename_canonical",
    "middle_name",
    "surname",
    "date_of_birth",
    "sex",
    "postcode",
    "pnc_id_trusted",
)
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


@dataclass
class ScoredLinks:
    edges: pa.Table  # record_id_l, record_id_r, match_probability, link_method
    model_json: dict


def score_probabilistic(records: pa.Table, options: ModelOptions | None = None, threads: int = 2) -> ScoredLinks:
    """Identical-details links and the model's scored links between profiles (mapped to one representative
    record per profile). ``records`` has record_id and the identity columns of PROFILE_COLUMNS."""
    con = duckdb.connect(config={"threads": threads})
    con.register("records", records)
    columns = ", ".join(PROFILE_COLUMNS)
    con.execute(f"""
        create temp table record_profiles as
        select record_id, {columns}, dense_rank() over (order by {columns}) as profile_id
        from records
    """)
    profiles = con.sql(f"""
        select profile_id, {", ".join(f"any_value({c}) as {c}" for c in PROFILE_COLUMNS)},
               min(record_id) as representative_id
        from record_profiles group by profile_id order by profile_id
    """).to_arrow_table()
    model = train(profiles.drop_columns(["representative_id"]), JUSTICE_COLUMNS, options, threads=threads)
    con.register("profile_edges", predict_edges(model, options))
    con.register("profiles", profiles)
    edges = con.sql("""
        select pl.representative_id as record_id_l, pr.representative_id as record_id_r,
               e.match_probability, 'probabilistic' as link_method
        from profile_edges as e
        inner join profiles as pl on e.unique_id_l = pl.profile_id
        inner join profiles as pr on e.unique_id_r = pr.profile_id
        union all
        select p.representative_id, rp.record_id, 1.0, 'identical_details'
        from record_profiles as rp inner join profiles as p using (profile_id)
        where rp.record_id != p.representative_id
        order by 1, 2
    """).to_arrow_table()
    con.close()
    return ScoredLinks(edges=edges, model_json=model.parameters())


def starts_empty() -> np.ndarray:
    return np.array([], dtype=np.int64)


def _person_id(record_id: str) -> str:
    return "P" + hashlib.sha256(record_id.encode()).hexdigest()[:12].upper()


class _Clusters:
    """Union-find over clusters, each carrying the set of trusted PNC ids of its records."""

    def __init__(self, pnc_sets: list[frozenset[str]]) -> None:
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


def cluster(records: pa.Table, edges: pa.Table, threshold: float) -> pa.Table:
    """Person id, link method and match probability of every record.

    ``records``: record_id, pnc_id_trusted, postcode_district. ``edges``: record_id_l, record_id_r,
    match_probability, link_method (deterministic and probabilistic links together)."""
    ids = records.column("record_id").to_numpy(zero_copy_only=False).astype(str)
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]

    def index(values: pa.ChunkedArray) -> np.ndarray:
        found = np.searchsorted(sorted_ids, values.to_numpy(zero_copy_only=False).astype(str))
        return order[np.minimum(found, len(ids) - 1)]

    method = edges.column("link_method").to_numpy(zero_copy_only=False).astype(str)
    probability = edges.column("match_probability").to_numpy(zero_copy_only=False).astype(float)
    left, right = index(edges.column("record_id_l")), index(edges.column("record_id_r"))
    deterministic = np.isin(method, DETERMINISTIC_METHODS)
    base = connected(len(ids), left[deterministic], right[deterministic])

    # Trusted PNC ids of each deterministic cluster.
    trusted = records.column("pnc_id_trusted").to_numpy(zero_copy_only=False)
    pnc_sets: list[set[str]] = [set() for _ in range(base.max() + 1 if len(base) else 0)]
    for label, pnc in zip(base[trusted != None], trusted[trusted != None], strict=True):  # noqa: E711
        pnc_sets[label].add(pnc)
    clusters = _Clusters([frozenset(s) for s in pnc_sets])

    # Probabilistic links, strongest first (ties in record order, so the result is deterministic).
    district = records.column("postcode_district").to_numpy(zero_copy_only=False)
    candidate = np.flatnonzero(~deterministic & (probability >= threshold) & (base[left] != base[right]))
    candidate = candidate[np.lexsort((right[candidate], left[candidate], -probability[candidate]))]
    same_district = (district[left[candidate]] == district[right[candidate]]) & (district[left[candidate]] != None)  # noqa: E711
    accepted = np.zeros(len(method), dtype=bool)
    for edge, ids_may_differ in zip(candidate.tolist(), same_district.tolist(), strict=True):
        accepted[edge] = clusters.join(int(base[left[edge]]), int(base[right[edge]]), bool(ids_may_differ))
    roots = np.array([clusters.find(int(b)) for b in range(len(pnc_sets))], dtype=np.int64)
    labels = roots[base] if len(base) else base

    # The person id comes from the smallest record id of each cluster, so it is stable between runs.
    label_order = np.lexsort((ids, labels))
    sorted_labels, sorted_record_ids = labels[label_order], ids[label_order]
    starts = np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]]) if len(labels) else starts_empty()
    first_record = np.empty(labels.max() + 1 if len(labels) else 0, dtype=object)
    first_record[sorted_labels[starts]] = [_person_id(r) for r in sorted_record_ids[starts]]
    person = first_record[labels]

    # How each record is attached: the strongest kind of link it has among those used.
    used = deterministic | accepted
    rank = {m: i for i, m in enumerate(METHOD_PRIORITY)}
    method_rank = np.array([rank[m] for m in method[used]], dtype=np.int64)
    used_probability = np.where(method[used] == "probabilistic", probability[used], 1.0)
    best_rank = np.full(len(ids), len(METHOD_PRIORITY), dtype=np.int64)
    best_probability = np.zeros(len(ids))
    for side in (left[used], right[used]):
        np.minimum.at(best_rank, side, method_rank)
        np.maximum.at(best_probability, side, used_probability)
    methods = np.array([*METHOD_PRIORITY, "none"], dtype=object)[best_rank]
    cluster_size = np.bincount(labels)[labels] if len(labels) else labels
    methods = np.where(cluster_size == 1, "none", methods)
    return pa.table(
        {
            "record_id": pa.array(ids, pa.string()),
            "person_id": pa.array(person, pa.string()),
            "link_method": pa.array(methods, pa.string()),
            "match_probability": pa.array(
                np.where(methods == "none", np.nan, best_probability), pa.float64(), from_pandas=True
            ),
        }
    )

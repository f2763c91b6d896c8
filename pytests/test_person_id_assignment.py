"""Unit tests of the person id rules across releases (repeat_offending.linkage.person_ids, docs/methodology.md
section 10): merges, splits, the tie rule, ids never reused, a first release equal to the plain hash ids, and
the vectorised matching equal to the one-by-one greedy it stands for."""

from __future__ import annotations

import hashlib

import duckdb
import numpy as np
import pytest

from repeat_offending.linkage.person_ids import assign_person_ids, greedy_matching

Clusters = dict[str, list[str]]  # a cluster's records, by any label
Links = dict[str, str]  # record id -> person id


def plain_id(record_id: str) -> str:
    """The plain person id, written independently of the module's SQL."""
    return "P" + hashlib.sha256(record_id.encode()).hexdigest()[:12].upper()


def variant_id(record_id: str, n: int) -> str:
    return plain_id(f"{record_id}#{n}")


def assign(clusters: Clusters, previous: Links | None = None, issued: list[str] | None = None) -> dict[str, str]:
    """The person id of each cluster (by its label) under the module's rules, in a fresh DuckDB."""
    con = duckdb.connect()
    rows = [(record, min(records)) for records in clusters.values() for record in records]
    con.execute("create table clusters (record_id varchar, cluster_record_id varchar)")
    con.executemany("insert into clusters values (?, ?)", rows)
    con.execute("create table previous_links (record_id varchar, person_id varchar)")
    if previous:
        con.executemany("insert into previous_links values (?, ?)", list(previous.items()))
    con.execute("create table issued (person_id varchar)")
    if issued:
        con.executemany("insert into issued values (?)", [(i,) for i in issued])
    result = assign_person_ids(con, "clusters", "previous_links", "issued")
    ids = {cluster_record_id: person_id for cluster_record_id, person_id, _ in result.fetchall()}
    con.close()
    return {label: ids[min(records)] for label, records in clusters.items()}


def test_first_release_gets_the_plain_hash_of_the_smallest_record_id() -> None:
    clusters = {"x": ["r3", "r1", "r2"], "y": ["r9"], "z": ["r5", "r4"]}
    assert assign(clusters) == {"x": plain_id("r1"), "y": plain_id("r9"), "z": plain_id("r4")}


def test_unchanged_people_and_people_gaining_records_keep_their_ids() -> None:
    previous = {"a1": "PA", "a2": "PA", "b1": "PB"}
    assert assign({"a": ["a1", "a2"], "b": ["b1", "b2"], "n": ["n1"]}, previous) == {
        "a": "PA",
        "b": "PB",
        "n": plain_id("n1"),
    }


def test_merge_keeps_the_id_of_the_larger_previous_person() -> None:
    previous = {"a1": "PB", "a2": "PB", "b1": "PA"}  # PB has more records in the cluster, though PA sorts first
    assert assign({"m": ["a1", "a2", "b1"]}, previous) == {"m": "PB"}


def test_split_keeps_the_id_on_the_largest_part_and_gives_the_others_new_ids() -> None:
    previous = {"r1": "PA", "r2": "PA", "r3": "PA", "r4": "PA"}
    ids = assign({"big": ["r2", "r3", "r4"], "small": ["r1"]}, previous)
    # The small part's plain id is the hash of r1, which is not the previous id PA, so it is free.
    assert ids == {"big": "PA", "small": plain_id("r1")}


def test_ties_go_to_the_larger_share_then_the_smaller_previous_id_then_the_smaller_record_id() -> None:
    # Equal overlap (1 record each): the cluster holding all of PB beats the one holding half of PA.
    previous = {"a1": "PA", "a2": "PA", "b1": "PB"}
    assert assign({"c": ["a1", "b1"], "d": ["a2"]}, previous) == {"c": "PB", "d": "PA"}
    # Equal overlap and share: the smaller previous id is kept, the other merged.
    previous = {"x1": "PX", "y1": "PY"}
    assert assign({"c": ["x1", "y1"]}, previous) == {"c": "PX"}
    # Two halves of one person, equal in every way: the part with the smaller record id keeps the id.
    previous = {"r1": "PA", "r2": "PA"}
    ids = assign({"first": ["r1"], "second": ["r2"]}, previous)
    assert ids == {"first": "PA", "second": plain_id("r2")}


def test_a_new_id_never_reuses_an_issued_one() -> None:
    # r1's plain id was issued before (a person whose records all left, now retired): its records come back
    # as a new person, which gets the first free variant instead.
    retired = plain_id("r1")
    ids = assign({"back": ["r1", "r2"]}, previous={"z1": "PZ"}, issued=[retired, "PZ"])
    assert ids == {"back": variant_id("r1", 1)}
    # ... and the next variant when that one was issued too.
    ids = assign({"back": ["r1"]}, previous={"z1": "PZ"}, issued=[retired, variant_id("r1", 1)])
    assert ids == {"back": variant_id("r1", 2)}


def test_a_new_id_never_takes_an_id_kept_in_this_release() -> None:
    # The previous person was named after r1; r1 now forms its own cluster while the larger part keeps the id.
    previous = {"r1": plain_id("r1"), "r2": plain_id("r1"), "r3": plain_id("r1")}
    ids = assign({"rest": ["r2", "r3"], "alone": ["r1"]}, previous, issued=[plain_id("r1")])
    assert ids == {"rest": plain_id("r1"), "alone": variant_id("r1", 1)}


def brute_force_greedy(cluster: np.ndarray, previous: np.ndarray, overlap: np.ndarray, size: np.ndarray) -> set[int]:
    """The greedy rule one pair at a time, with exact fractions for the share."""
    from fractions import Fraction

    ranked = sorted(
        range(len(cluster)),
        key=lambda i: (-overlap[i], -Fraction(int(overlap[i]), int(size[i])), previous[i], cluster[i]),
    )
    taken_clusters: set[int] = set()
    taken_previous: set[int] = set()
    accepted = set()
    for i in ranked:
        if cluster[i] not in taken_clusters and previous[i] not in taken_previous:
            accepted.add(i)
            taken_clusters.add(int(cluster[i]))
            taken_previous.add(int(previous[i]))
    return accepted


@pytest.mark.parametrize("seed", range(20))
def test_rounds_of_mutually_best_pairs_equal_the_one_by_one_greedy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_clusters, n_previous = int(rng.integers(1, 60)), int(rng.integers(1, 60))
    pairs = np.unique(np.stack([rng.integers(0, n_clusters, 150), rng.integers(0, n_previous, 150)], axis=1), axis=0)
    cluster, previous = pairs[:, 0], pairs[:, 1]
    overlap = rng.integers(1, 4, len(pairs))  # few values: many ties
    # A previous person's size: the records it shares with clusters, and maybe some no longer in the extract.
    size = rng.integers(0, 3, n_previous)
    np.add.at(size, previous, overlap)
    size = size[previous]
    accepted = greedy_matching(cluster, previous, overlap, size)
    assert set(np.flatnonzero(accepted).tolist()) == brute_force_greedy(cluster, previous, overlap, size)

"""The clustering rules of person linkage (repeat_offending.linkage.justice.cluster).

Deterministic links always join; probabilistic links join at or above the threshold, strongest first,
except that two groups holding different trusted PNC ids are only joined by a link between records in
the same postcode district (the two-PNC-ids rule).
"""

from __future__ import annotations

import hashlib

import pyarrow as pa
import pytest

from repeat_offending.linkage.justice import cluster


def records(rows: list[tuple[str, str | None, str | None]]) -> pa.Table:
    ids, pnc, district = zip(*rows, strict=True)
    return pa.table({"record_id": list(ids), "pnc_id_trusted": list(pnc), "postcode_district": list(district)})


def edges(rows: list[tuple[str, str, float, str]]) -> pa.Table:
    left, right, probability, method = zip(*rows, strict=True)
    return pa.table(
        {
            "record_id_l": list(left),
            "record_id_r": list(right),
            "match_probability": list(probability),
            "link_method": list(method),
        }
    )


def people(links: pa.Table) -> dict[str, str]:
    return dict(zip(links.column("record_id").to_pylist(), links.column("person_id").to_pylist(), strict=True))


def test_deterministic_links_always_join_and_set_the_method() -> None:
    recs = records([("a", "P1", "M1"), ("b", "P1", "M1"), ("c", None, "M1")])
    result = cluster(recs, edges([("a", "b", 1.0, "pnc_id"), ("b", "c", 1.0, "system_id")]), threshold=0.95)
    assert len(set(people(result).values())) == 1
    methods = dict(zip(result.column("record_id").to_pylist(), result.column("link_method").to_pylist(), strict=True))
    assert methods == {"a": "pnc_id", "b": "pnc_id", "c": "system_id"}


def test_probabilistic_links_below_the_threshold_do_not_join() -> None:
    recs = records([("a", None, "M1"), ("b", None, "M1")])
    result = cluster(recs, edges([("a", "b", 0.94, "probabilistic")]), threshold=0.95)
    ids = people(result)
    assert ids["a"] != ids["b"]
    assert result.column("link_method").to_pylist() == ["none", "none"]
    assert result.column("match_probability").null_count == 2  # no probability for unlinked records


def test_a_record_resembling_two_people_with_different_pnc_ids_joins_only_the_closer() -> None:
    """Two people with the same name and date of birth (different PNC ids, different areas) and a court
    record without a PNC id that resembles both: it joins the stronger match, and the two stay apart."""
    recs = records([("a", "P1", "M1"), ("b", "P2", "LS6"), ("x", None, "M1")])
    result = cluster(recs, edges([("a", "x", 0.999, "probabilistic"), ("b", "x", 0.98, "probabilistic")]), 0.95)
    ids = people(result)
    assert ids["x"] == ids["a"] != ids["b"]
    probability = dict(
        zip(result.column("record_id").to_pylist(), result.column("match_probability").to_pylist(), strict=True)
    )
    assert probability["x"] == 0.999


def test_two_pnc_ids_of_one_person_join_when_the_records_share_a_postcode_district() -> None:
    recs = records([("a", "P1", "M1"), ("b", "P2", "M1"), ("c", "P3", "CF10")])
    result = cluster(recs, edges([("a", "b", 0.999, "probabilistic"), ("a", "c", 0.9999, "probabilistic")]), 0.95)
    ids = people(result)
    assert ids["a"] == ids["b"]
    assert ids["c"] != ids["a"]


def test_person_ids_are_stable_and_come_from_the_smallest_record_id() -> None:
    recs = records([("b", None, None), ("a", None, None), ("c", None, None)])
    links = edges([("b", "a", 1.0, "identical_details")])
    first = people(cluster(recs, links, 0.95))
    again = people(cluster(recs.take([2, 0, 1]), links, 0.95))
    assert first == again
    assert first["a"] == first["b"] != first["c"]
    assert first["a"].startswith("P") and len(first["a"]) == 13


def test_the_person_id_is_a_hash_of_the_smallest_record_id() -> None:
    recs = records([("b", None, None), ("a", None, None)])
    result = people(cluster(recs, edges([("a", "b", 1.0, "system_id")]), 0.95))
    assert result == {"a": "P" + hashlib.sha256(b"a").hexdigest()[:12].upper()} | {"b": result["a"]}


def test_records_without_links_are_people_of_their_own() -> None:
    recs = records([("a", "P1", "M1"), ("b", None, None)])
    no_links = pa.table(
        {
            "record_id_l": pa.array([], pa.string()),
            "record_id_r": pa.array([], pa.string()),
            "match_probability": pa.array([], pa.float64()),
            "link_method": pa.array([], pa.string()),
        }
    )
    result = cluster(recs, no_links, 0.95)
    assert len(set(people(result).values())) == 2
    assert result.column("link_method").to_pylist() == ["none", "none"]


def test_a_link_to_an_unknown_record_is_an_error() -> None:
    recs = records([("a", None, None)])
    with pytest.raises(ValueError, match="not nodes"):
        cluster(recs, edges([("a", "zz", 1.0, "pnc_id")]), 0.95)

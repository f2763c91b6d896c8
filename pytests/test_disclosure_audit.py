"""The disclosure audit (`audit-disclosure`, repeat_offending_tools.disclosure_audit): the interval an attacker
can derive for every suppressed count by linear programming, from everything published.

First on small hand-made tables (known intervals, rounding, a complement, a declaration missing), then on the
test world: its publication tables pass, and a copy with one secondary suppression undone fails."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from extracts import rebuild_copy, warehouse_copy
from repeat_offending.project import dbt_var
from repeat_offending.release.layout import Layout
from repeat_offending_tools import disclosure_audit as audit

THRESHOLD = int(dbt_var("sdc_threshold"))
SYMBOL = str(dbt_var("sdc_marker_symbol"))


def _node(
    name: str, columns: list[str], disclosure: dict[str, Any] | None, schema: str = "publication"
) -> dict[str, Any]:
    meta = {"contains_pii": False} | ({"disclosure": disclosure} if disclosure is not None else {})
    return {
        "resource_type": "model",
        "package_name": "repeat_offending",
        "original_file_path": f"models/{schema}/{name}.sql",
        "access": "public" if schema == "publication" else "protected",
        "name": name,
        "schema": schema,
        "alias": name.split("__", 1)[1],
        "columns": {column: {"name": column} for column in columns},
        "config": {"meta": meta},
    }


def _manifest(*nodes: dict[str, Any]) -> dict[str, Any]:
    return {"metadata": {"project_name": "repeat_offending"}, "nodes": {f"model.x.{n['name']}": n for n in nodes}}


# A table of groups whose total is `All`; the internal reason for each suppressed value is in publication_int.
GROUPS = {
    "key": ["year", "grp"],
    "counts": {"people": {"protect": True}},
    "totals": [{"column": "grp", "total": "All"}],
    "reasons": [{"model": "publication_int__groups"}],
}
GROUPS_MANIFEST = _manifest(
    _node("publication__groups", ["year", "grp", "people", "people_marker"], GROUPS),
    _node("publication_int__groups", ["year", "grp", "people_marker"], None, schema="publication_int"),
)


def _groups_table(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, int, str | None]]) -> None:
    """Rows of 2020: group, its people and the reason it is suppressed (None: published)."""
    for schema in ("publication", "publication_int"):
        con.execute(f"create schema if not exists {schema}")
    con.execute("create or replace table publication.groups (year int, grp varchar, people int, people_marker varchar)")
    con.execute("create or replace table publication_int.groups (year int, grp varchar, people_marker varchar)")
    for group, people, reason in rows:
        published = None if reason else people
        con.execute("insert into publication.groups values (2020, ?, ?, ?)", [group, published, reason and SYMBOL])
        con.execute("insert into publication_int.groups values (2020, ?, ?)", [group, reason])


def _intervals(con: duckdb.DuckDBPyConnection, manifest: dict[str, Any], base: int = 1) -> dict[str, tuple]:
    frame, _ = audit.audit(con, manifest, THRESHOLD, base)
    return {
        json.loads(r.row_key)["grp"]: (r.lower_bound, r.upper_bound, bool(r.is_protected)) for r in frame.itertuples()
    }


def test_two_suppressed_cells_of_a_total_share_its_remainder() -> None:
    # A = 3 (primary) and B = 12 (secondary) suppressed, C = 15 and All = 30 published: A + B = 15, so A is 0 to
    # 15. Only A, suppressed for being small, is judged.
    con = duckdb.connect()
    _groups_table(con, [("A", 3, "primary"), ("B", 12, "secondary"), ("C", 15, None), ("All", 30, None)])
    assert _intervals(con, GROUPS_MANIFEST) == {"A": (0, 15, True)}


def test_a_secondary_cell_published_gives_the_primary_cell_away() -> None:
    # The same table with B published: A = 30 - 12 - 15 = 3 exactly.
    con = duckdb.connect()
    _groups_table(con, [("A", 3, "primary"), ("B", 12, None), ("C", 15, None), ("All", 30, None)])
    assert _intervals(con, GROUPS_MANIFEST) == {"A": (3, 3, False)}


def test_a_remainder_below_the_threshold_narrows_both_cells() -> None:
    # A + B = 30 - 22 = 8: both within 0 to 8, narrower than the threshold.
    con = duckdb.connect()
    _groups_table(con, [("A", 3, "primary"), ("B", 5, "primary"), ("C", 22, None), ("All", 30, None)])
    assert _intervals(con, GROUPS_MANIFEST) == {"A": (0, 8, False), "B": (0, 8, False)}


def test_rounded_counts_are_intervals() -> None:
    # Base 5: B published as 10 is 8 to 12 (halves up) but at least the threshold, so 10 to 12; C 15 is 13 to 17;
    # All 30 is 28 to 32. A = All - B - C is then 0 to 9: rounding alone does not protect a cell.
    con = duckdb.connect()
    _groups_table(con, [("A", 3, "primary"), ("B", 10, None), ("C", 15, None), ("All", 30, None)])
    assert audit.rounding_interval(10, 5) == (8, 12)
    assert audit.rounding_interval(10, 10) == (5, 14)
    assert audit.rounding_interval(10, 1) == (10, 10)
    assert _intervals(con, GROUPS_MANIFEST, base=5) == {"A": (0, 9, False)}


def test_relations_across_tables_and_a_complement() -> None:
    # A quarterly table whose quarters add up to a yearly one, reoffenders at most the offenders. The quarters'
    # offenders are 31, suppressed (primary) and 24, the year's 60: the suppressed quarter is 5 exactly. Its
    # reoffenders are 0 to 5 (at most its offenders), so the year's are 22 to 27, and the year's offenders who
    # did not reoffend (suppressed for that complement) 33 to 38: 6 values.
    con = duckdb.connect()
    for schema in ("publication", "publication_int"):
        con.execute(f"create schema {schema}")
    con.execute("""create table publication.quarters as select * from (values
        (2020, 'Q1', 31, null, 12, null), (2020, 'Q2', null, 'x', null, 'x'), (2020, 'Q3', 24, null, 10, null))
        as t (year, quarter, offenders, offenders_marker, reoffenders, reoffenders_marker)""")
    con.execute("""create table publication.years as select * from (values (2020, 60, null, null, 'x'))
        as t (year, offenders, offenders_marker, reoffenders, reoffenders_marker)""")
    con.execute("""create table publication_int.reasons as select * from (values
        ('quarter', '2020', 'Q2', 'primary', 'linked'), ('year', '2020', null, null, 'complement'))
        as t (part, year, quarter, offenders_marker, reoffenders_marker)""")
    counts = {"offenders": {"protect": True}, "reoffenders": {"protect": True, "complement": "offenders"}}
    columns = ["offenders", "offenders_marker", "reoffenders", "reoffenders_marker"]
    reasons = ["part", "year", "quarter", "offenders_marker", "reoffenders_marker"]
    manifest = _manifest(
        _node("publication__quarters", ["year", "quarter", *columns],
              {"key": ["year", "quarter"], "counts": counts, "at_most": [["reoffenders", "offenders"]],
               "reasons": [{"model": "publication_int__reasons", "other_where": {"part": "quarter"}}]}),
        _node("publication__years", ["year", *columns],
              {"key": ["year"], "counts": counts, "at_most": [["reoffenders", "offenders"]],
               "sums": [{"model": "publication__quarters", "match": ["year"]}],
               "reasons": [{"model": "publication_int__reasons", "other_where": {"part": "year"}}]}),
        _node("publication_int__reasons", reasons, None, schema="publication_int"),
    )  # fmt: skip
    frame, _ = audit.audit(con, manifest, THRESHOLD, 1)
    got = {(r.model_name, r.column_name): (r.protected_value, r.lower_bound, r.upper_bound) for r in frame.itertuples()}
    assert got == {
        ("publication__quarters", "offenders"): ("the count", 5, 5),
        ("publication__years", "reoffenders"): ("the complement of the count in its cell", 33, 38),
    }


def test_a_publication_model_without_a_declaration_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "w.duckdb"
    with duckdb.connect(str(database)) as con:
        _groups_table(con, [("A", 12, None), ("All", 12, None)])
    manifest = tmp_path / "manifest.json"
    nodes = _manifest(_node("publication__groups", ["year", "grp", "people", "people_marker"], None))
    manifest.write_text(json.dumps(nodes))
    assert audit.main(["--database", str(database), "--manifest", str(manifest)]) == 2
    assert "publication__groups: no config.meta.disclosure" in capsys.readouterr().err


def test_a_declaration_with_an_unknown_key_is_an_error() -> None:
    # YAML reads a bare `on:` as the boolean true: the declaration must say so, not lose the relation.
    declaration = GROUPS | {"sums": [{"model": "publication__groups", True: ["year"]}]}
    manifest = _manifest(_node("publication__groups", ["year", "grp", "people", "people_marker"], declaration))
    with pytest.raises(audit.DeclarationError, match="unknown keys True"):
        audit.publication_tables(manifest)


def test_the_command_writes_the_intervals_and_fails_on_a_leak(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database, manifest = tmp_path / "w.duckdb", tmp_path / "manifest.json"
    manifest.write_text(json.dumps(GROUPS_MANIFEST))
    with duckdb.connect(str(database)) as con:
        _groups_table(con, [("A", 3, "primary"), ("B", 12, "secondary"), ("C", 15, None), ("All", 30, None)])
    assert audit.main(["--database", str(database), "--manifest", str(manifest)]) == 0
    with duckdb.connect(str(database)) as con:
        assert con.sql(f"select count(*), count(*) filter (where is_protected) from {audit.TABLE}").fetchall() == [
            (1, 1)
        ]
        con.execute("update publication.groups set people = 12, people_marker = null where grp = 'B'")
        con.execute("update publication_int.groups set people_marker = null where grp = 'B'")
    assert audit.main(["--database", str(database), "--manifest", str(manifest)]) == 1
    assert "FAILED: 1 suppressed counts can be narrowed" in capsys.readouterr().err


def test_a_release_with_nothing_suppressed_gets_an_empty_typed_table(tmp_path: Path) -> None:
    database, manifest = tmp_path / "w.duckdb", tmp_path / "manifest.json"
    manifest.write_text(json.dumps(GROUPS_MANIFEST))
    with duckdb.connect(str(database)) as con:
        _groups_table(con, [("A", 12, None), ("B", 15, None), ("All", 27, None)])
    assert audit.main(["--database", str(database), "--manifest", str(manifest)]) == 0
    with duckdb.connect(str(database)) as con:
        types = dict(con.sql(f"select column_name, column_type from (describe {audit.TABLE})").fetchall())
        assert con.sql(f"select count(*) from {audit.TABLE}").fetchall() == [(0,)]
    assert types["width"] == "DOUBLE" and types["is_protected"] == "BOOLEAN"


# --- the test world ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world_manifest(built_world: Path) -> dict[str, Any]:
    layout = Layout(built_world)
    release = layout.published()
    assert release is not None, f"nothing is published in {built_world}"
    return json.loads((layout.folder(release) / "target" / "manifest.json").read_text())


def test_no_suppressed_count_of_the_test_world_can_be_narrowed(built_world: Path) -> None:
    # The release build ran the audit (a narrowed count would have failed it) and kept its intervals.
    with duckdb.connect(str(built_world / "warehouse.duckdb"), read_only=True) as con:
        judged, narrowed, reasons = con.sql(f"""
            select count(*), count(*) filter (where not is_protected),
                   list(distinct suppression_reason order by suppression_reason)
            from {audit.TABLE}
        """).fetchall()[0]
    assert judged > 50 and narrowed == 0 and reasons == ["complement", "primary"]


def test_one_secondary_suppression_undone_fails_the_audit(
    built_world: Path, world_manifest: dict[str, Any], tmp_path: Path
) -> None:
    # A copy of the test world's warehouse in which the first quarter cell whose offenders were suppressed to
    # protect another cell (the internal reason `secondary`) is published with its true value.
    database = warehouse_copy(built_world, tmp_path / "weakened.duckdb")
    with duckdb.connect(str(database)) as con:
        frame, _ = audit.audit(con, world_manifest, THRESHOLD, int(dbt_var("sdc_rounding_base")))
        assert len(frame) > 50 and frame["is_protected"].all()
        secondary = con.sql("""
            select cells.cohort_quarter, cells.age_group, counts.offenders
            from publication_int.proven_reoffending_cells as cells
            inner join publication_int.proven_reoffending_counts as counts on cells.cell_id = counts.cell_id
            where cells.table_part = 'quarter' and cells.offenders_marker = 'secondary'
            order by cells.cohort_quarter, cells.age_group
            limit 1
        """).fetchall()
        assert secondary, "the test world has no secondary suppression of a quarter's offenders"
        quarter, age_group, offenders = secondary[0]
        con.execute(
            """update publication.proven_reoffending_by_quarter set offenders = ?, offenders_marker = null
               where cohort_quarter = ? and age_group = ?""",
            [offenders, quarter, age_group],
        )
        con.execute(
            """update publication_int.proven_reoffending_cells set offenders_marker = null
               where table_part = 'quarter' and cohort_quarter = ? and age_group = ?""",
            [quarter, age_group],
        )
        frame, _ = audit.audit(con, world_manifest, THRESHOLD, int(dbt_var("sdc_rounding_base")))
    narrowed = frame[~frame["is_protected"]]
    assert len(narrowed) >= 1, f"undoing the secondary suppression of {quarter} {age_group} went unnoticed"
    assert set(narrowed["model_name"]) <= {
        "publication__proven_reoffending_by_quarter",
        "publication__proven_reoffending_by_year",
        "publication__proven_reoffending_breakdowns",
    }


def test_a_publication_build_with_rounding_passes_and_rates_do_not_undo_it(built_world: Path, tmp_path: Path) -> None:
    # The documented command, on a copy of the test world: every model, data test and unit test of the
    # publication layer passes with rounding to 5 (the unit tests pin the vars they depend on), the rates are
    # those of the published (rounded) counts, and no count suppressed for being small can be narrowed.
    database, build = rebuild_copy(built_world, tmp_path, "models/publication", "{sdc_rounding_base: 5}")
    target = tmp_path / "target"
    assert build.returncode == 0, build.stdout[-3000:]
    assert " SKIP=0 " in build.stdout and " ERROR=0 " in build.stdout
    with duckdb.connect(str(database)) as con:
        counts, off_base, wrong_rates = con.sql("""
            select count(*), count(*) filter (where offenders % 5 != 0 or reoffenders % 5 != 0),
                   count(*) filter (where proven_reoffending_rate
                                    != floor((reoffenders * 2000 + offenders) / (offenders * 2)) / 10)
            from publication.proven_reoffending_by_year
            where proven_reoffending_rate is not null
        """).fetchall()[0]
        assert counts > 0 and off_base == 0 and wrong_rates == 0
        frame, _ = audit.audit(con, json.loads((target / "manifest.json").read_text()), THRESHOLD, 5)
    assert len(frame) > 50 and frame["is_protected"].all()

"""The data-quality summary: the tables the on-run-end hooks write on the test world (audit.test_results,
audit.row_counts, audit.column_profiles), and the offline HTML report `quality-report`
(repeat_offending_tools.quality_report) renders from its templates, with leather's charts."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from repeat_offending.project import dbt_var, layers
from repeat_offending_tools import quality_report as report

SECTIONS = (
    "Row counts per layer",
    "Quarantine by source table and reason",
    "Staging reconciliation",
    "Linked-layer exclusions by reason",
    "Linkage quality",
    "Disclosure audit of the publication tables",
    "Test results of the last run",
    "Column profiles of the public models",
)
# What audit_layer may return: a schema of var layers (every `stg_*` schema as `staging`), or `other`.
LAYERS = {"staging" if "*" in schema else schema for layer in layers() for schema in layer.schemas} | {"other"}
HOOK_TABLES = ("test_results", "row_counts", "column_profiles")


@pytest.fixture(scope="module")
def warehouse(built_world: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(built_world / "warehouse.duckdb"), read_only=True)
    present = {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'audit'"
        ).fetchall()
    }
    missing = [t for t in HOOK_TABLES if t not in present]
    assert not missing, f"audit.{missing} missing: the test world predates the summary hooks; run `make test-world`"
    yield con
    con.close()


# --- the hook tables -----------------------------------------------------------------------------------


def test_test_results_hold_the_last_runs_tests(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = warehouse.execute("""
        select count(*), count(distinct test_unique_id), count(distinct invocation_id),
               count(*) filter (where status not in ('pass', 'fail', 'warn', 'error', 'skipped')),
               count(*) filter (where test_type not in ('generic', 'singular', 'unit')),
               count(*) filter (where test_type = 'unit'), count(*) filter (where test_type = 'singular'),
               count(*) filter (where test_type = 'generic' and (generic_test is null or attached_node is null)),
               count(*) filter (where status in ('pass', 'fail', 'warn') and failures is null)
        from audit.test_results
    """).fetchone()
    assert rows is not None
    tests, distinct, invocations, bad_status, bad_type, unit, singular, unattached, no_failures = rows
    assert tests > 100 and distinct == tests and invocations == 1
    assert bad_status == 0 and bad_type == 0 and unattached == 0 and no_failures == 0
    assert unit > 0 and singular > 0
    command = warehouse.execute("select any_value(command) from audit.test_results").fetchone()
    assert command is not None and command[0] in ("build", "test", "retry")


def test_row_counts_cover_every_relation_with_its_true_count(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = warehouse.execute("select relation_name, layer, row_count, materialization from audit.row_counts").fetchall()
    names = [r[0] for r in rows]
    assert len(names) == len(set(names)) and len(names) > 40
    assert {r[1] for r in rows} <= LAYERS
    assert {"reference", "staging", "staging_checks", "linked", "audit", "snapshots"} <= {r[1] for r in rows}
    assert all(r[1] == "staging" for r in rows if r[0].startswith("stg_"))
    for relation_name, _, row_count, materialization in rows:
        if materialization == "view":
            continue  # a view is counted by running it (the project's validation models are tables)
        actual = warehouse.execute(f"select count(*) from {relation_name}").fetchone()
        assert actual is not None and actual[0] == row_count, relation_name
    # The reconciliation's raw counts are the validation tables' counts.
    mismatches = warehouse.execute("""
        select r.source_table
        from audit.staging_reconciliation as r
        left join audit.row_counts as c
            on c.relation_name = 'staging_checks.' || replace(r.source_table, '.', '_')
        where c.row_count is distinct from r.raw_rows
    """).fetchall()
    assert mismatches == []


def test_column_profiles_cover_every_column_of_the_public_models(warehouse: duckdb.DuckDBPyConnection) -> None:
    keys = warehouse.execute("select relation_name, column_name from audit.column_profiles").fetchall()
    assert len(keys) == len(set(keys))
    relations = sorted({relation for relation, _ in keys})
    assert relations, "no public model profiled"
    for relation in relations:
        schema, table = relation.split(".")
        columns = warehouse.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "order by ordinal_position",
            [schema, table],
        ).fetchall()
        profiled = warehouse.execute(
            "select column_name from audit.column_profiles where relation_name = ? order by column_position",
            [relation],
        ).fetchall()
        assert profiled == columns, relation
    bad = warehouse.execute("""
        select count(*) from audit.column_profiles
        where null_count > row_count or distinct_count > row_count - null_count
            or abs(null_share - cast(null_count as double) / nullif(row_count, 0)) > 1e-9
            or (contains_pii and (min_value is not null or max_value is not null))
    """).fetchone()
    assert bad == (0,)


def test_quarantine_summary_adds_up_to_the_reconciliation(warehouse: duckdb.DuckDBPyConnection) -> None:
    mismatches = warehouse.execute("""
        select r.source_table
        from audit.staging_reconciliation as r
        left join (
            select source_table, sum(quarantined_rows) as quarantined
            from audit.quarantine_summary group by source_table
        ) as s on r.source_table = s.source_table
        where coalesce(s.quarantined, 0) != r.quarantined_rows
    """).fetchall()
    assert mismatches == []


# --- the report ----------------------------------------------------------------------------------------


def test_the_report_of_the_test_world_has_every_section_and_charts(built_world: Path, tmp_path: Path) -> None:
    warehouse = built_world / "warehouse.duckdb"
    output = report.write_report(warehouse, tmp_path / "target" / report.REPORT_NAME, tmp_path / "r")
    document = output.read_text()
    assert (tmp_path / "r" / report.REPORT_NAME).read_text() == document
    for title in SECTIONS:
        assert f"<h2>{title}</h2>" in document, title
    assert document.count("<svg") >= 7
    assert "Not available" not in document
    # Offline: nothing is fetched.
    assert not re.search(r"<script|<link|<img|@import|url\(|src=\"http", document)
    # The build's figures are in it.
    assert "precision" in document and "pnc.offence_outcomes" in document and "derived." in document
    assert "No count suppressed as small can be narrowed." in document


def test_the_report_explains_missing_tables_and_a_missing_warehouse(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    document = report.write_report(empty, tmp_path / "empty.html").read_text()
    assert all(f"<h2>{title}</h2>" in document for title in SECTIONS)
    assert document.count("Not available") == len(SECTIONS)

    placeholder = report.write_report(tmp_path / "none.duckdb", tmp_path / "none.html").read_text()
    assert "No warehouse" in placeholder and "make build" in placeholder


# --- the charts and the project's rules ---------------------------------------------------------------


def test_bar_chart_draws_one_bar_per_item_and_escapes_labels() -> None:
    svg = str(report.bar_chart([report.Bar("a<b", 3), report.Bar("c", 7)], title="t"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 1 + 2  # the background, and one per bar
    assert "a&lt;b: 3" in svg and "a<b" not in svg and "c: 7" in svg
    assert "Nothing to chart" in report.bar_chart([], title="t")


def test_stacked_bar_chart_and_line_chart() -> None:
    stacked = str(
        report.stacked_bar_chart(
            ["t1", "t2"], ["r1", "r2"], {("t1", "r1"): 1, ("t1", "r2"): 2, ("t2", "r2"): 5}, title="s"
        )
    )
    assert "t1: 3" in stacked and "t2: 5" in stacked
    assert stacked.index(">r1<") < stacked.index(">r2<") < stacked.index("<svg"), "the legend, in the series' order"
    assert stacked.count("<rect") == 1 + 2 * 2  # the background, and a bar per category and series
    line = str(
        report.line_chart(["0.5", "0.9"], {"precision": [0.99, 0.995], "recall": [0.999, None]}, title="l", x_title="x")
    )
    assert line.count("<path") >= 2 and "precision" in line and "recall" in line


def test_the_thresholds_and_the_layer_order_are_the_projects() -> None:
    """The report names the quarantine thresholds the SQL tests use, and orders layers as the project does."""
    order = report.layer_order()
    assert order[:3] == ["reference", "staging_checks", "staging"] and order[-1] == "other"
    assert order.index("linked") < order.index("derived") < order.index("publication") < order.index("audit")
    con = duckdb.connect()
    con.execute("""
        create schema audit;
        create table audit.staging_reconciliation as
        select 'a.t' as source_table, 1000 as raw_rows, 990 as staged_rows, 10 as quarantined_rows,
               0.01 as quarantined_share
    """)
    section = report.section_reconciliation(report.Warehouse(con))
    assert section.data["warn_share"] == dbt_var("quarantine_warn_share")
    assert section.data["limit_share"] == dbt_var("quarantine_limit_share")
    expected = "above the limit" if dbt_var("quarantine_limit_share") < 0.01 else "above the warning threshold"
    assert section.data["rows"][0]["check"] == expected

"""The pipeline benchmark's reading of a build (repeat_offending_tools.benchmark_pipeline): which layer each
node of `dbt build` belongs to, the wall time and peak memory of a layer whose nodes overlap, and the steps of
a release build from its lines. On the test world's own release (its run results and manifest), every node
falls in a named layer and the layers cover the build.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from repeat_offending_tools import benchmark_dbt_overhead as overhead
from repeat_offending_tools import benchmark_pipeline as bench


def test_overlapping_intervals_are_merged() -> None:
    assert bench.merged([(5, 7), (0, 2), (1, 3), (7, 8)]) == [(0, 3), (5, 8)]
    assert bench.merged([]) == []


def test_the_report_states_the_settings_it_ran_with() -> None:
    """The memory limits and dbt's threads are stated above the table: a national run's figures depend on them."""
    report = bench.Report(
        people=1000,
        seed=7,
        data_dir="/d",
        started_at="2026-12-07T20:00:00+00:00",
        machine={"cores": 2, "memory_gib": 24.0, "platform": "linux"},
        settings={"DUCKDB_MEMORY_LIMIT": "4GB", "LINKAGE_MEMORY_LIMIT": "25% (default)", "DBT_THREADS": "1"},
    )
    header = bench.markdown(report).splitlines()[0]
    assert "DUCKDB_MEMORY_LIMIT 4GB, LINKAGE_MEMORY_LIMIT 25% (default), DBT_THREADS 1;" in header


def test_peak_memory_is_taken_within_the_intervals() -> None:
    samples = [bench.Sample(at, rss, spill) for at, rss, spill in [(0, 1, 0), (1, 9, 5), (2, 3, 1), (3, 4, 7)]]
    assert bench.peak_within(samples, [(1.5, 3)]) == (4, 7)
    assert bench.peak_within(samples, [(0, 1)]) == (9, 5)
    # an interval too short to hold a sample takes the next one
    assert bench.peak_within(samples, [(1.2, 1.3)]) == (3, 1)


def test_release_steps_come_from_the_build_lines() -> None:
    lines = [
        (10.0, "== release R1: building into /x/R1.duckdb (published now: none)"),
        (11.0, "== release R1: dbt seed"),
        (12.0, "some dbt line"),
        (20.0, "== release R1: dbt build"),
        (90.0, "== release R1: research export"),
    ]
    assert bench.release_of(lines) == "R1"
    assert bench.release_steps(lines, 100.0) == [
        ("dbt seed", 11.0, 20.0),
        ("dbt build", 20.0, 90.0),
        ("research export", 90.0, 100.0),
    ]


def test_layers_of_a_dbt_build() -> None:
    manifest = {
        "nodes": {
            "model.p.stg_pnc__persons": {"name": "stg_pnc__persons", "fqn": ["p", "staging", "pnc", "x"]},
            "model.p.linkage__match_edges": {"name": "linkage__match_edges", "fqn": ["p", "linkage", "x"]},
            "model.p.linkage__person_identities": {"name": "linkage__person_identities", "fqn": ["p", "linkage"]},
            "model.p.linked__person_links": {"name": "linked__person_links", "fqn": ["p", "linked", "x"]},
            "model.p.audit__quarantine": {"name": "audit__quarantine", "fqn": ["p", "audit", "x"]},
        }
    }
    assert bench.layer_of("model.p.stg_pnc__persons", manifest) == "staging"
    assert bench.layer_of("model.p.linkage__match_edges", manifest) == "linkage: Splink model"
    assert bench.layer_of("model.p.linkage__person_identities", manifest) == "linkage: SQL rules"
    assert bench.layer_of("model.p.linked__person_links", manifest) == "linkage: clustering"
    assert bench.layer_of("model.p.audit__quarantine", manifest) == "audit models"
    assert bench.layer_of("test.p.not_null_x", manifest) == "data tests"
    assert bench.layer_of("unit_test.p.m.t", manifest) == "unit tests"
    assert bench.layer_of("operation.p.p-on-run-end-0", manifest) == "on-run-end hooks"

    run_results = {
        "results": [
            {"unique_id": "model.p.stg_pnc__persons", "timing": [
                {"name": "compile", "started_at": "2026-01-01T00:00:00Z", "completed_at": "2026-01-01T00:00:01Z"},
                {"name": "execute", "started_at": "2026-01-01T00:00:01Z", "completed_at": "2026-01-01T00:00:10Z"},
            ]},
            # two tests at once: 6 s of wall time, 8 s of node time
            {"unique_id": "test.p.a", "timing": [
                {"name": "execute", "started_at": "2026-01-01T00:00:10Z", "completed_at": "2026-01-01T00:00:14Z"}]},
            {"unique_id": "test.p.b", "timing": [
                {"name": "execute", "started_at": "2026-01-01T00:00:12Z", "completed_at": "2026-01-01T00:00:16Z"}]},
            {"unique_id": "exposure.p.e", "timing": []},
        ]
    }  # fmt: skip
    start = bench._seconds("2026-01-01T00:00:00Z")
    samples = [bench.Sample(start + 5, 100, 0), bench.Sample(start + 13, 300, 50)]
    layers = {stage.name: stage for stage in bench.build_layers(run_results, manifest, samples)}
    assert list(layers) == ["staging", "data tests"]
    assert layers["staging"].seconds == pytest.approx(10) and layers["staging"].peak_rss == 100
    tests = layers["data tests"]
    assert tests.seconds == pytest.approx(6) and tests.node_seconds == pytest.approx(8) and tests.nodes == 2
    assert (tests.peak_rss, tests.peak_spill, tests.level) == (300, 50, 1)
    # given the step's start and end: dbt's own time before the first node and after the last
    with_step = bench.build_layers(run_results, manifest, samples, (start - 3, start + 20))
    assert [(stage.name, round(stage.seconds)) for stage in with_step] == [
        ("dbt: start (parse, connect)", 3),
        ("staging", 10),
        ("data tests", 6),
        ("dbt: end (artefacts)", 4),
    ]


def test_every_node_of_the_test_worlds_build_falls_in_a_layer(built_world: Path) -> None:
    published = (built_world / "warehouse.duckdb").resolve().name.removesuffix(".duckdb")
    folder = built_world / "releases" / published / "target"
    run_results = json.loads((folder / "run_results_build.json").read_text())
    manifest = json.loads((folder / "manifest.json").read_text())
    layers = {bench.layer_of(unique_id, manifest) for unique_id, _, _ in bench.node_intervals(run_results)}
    assert "other" not in layers
    expected = {"seeds", "staging", "linkage: SQL rules", "linkage: Splink model", "linkage: clustering", "linked",
                "derived", "publication", "research", "audit models", "data tests", "unit tests"}  # fmt: skip
    assert expected <= layers
    stages = bench.build_layers(run_results, manifest, [])
    intervals = [(start, end) for _, start, end in bench.node_intervals(run_results)]
    whole = sum(end - start for start, end in bench.merged(intervals))
    # the layers overlap only where dbt ran two nodes at once: together at least the build's busy time
    assert sum(stage.seconds for stage in stages) >= whole * 0.999


def test_the_overhead_script_replays_sql_nodes_in_dbt_order_and_borrows_the_rest(tmp_path: Path) -> None:
    # A build of three nodes: a Python model (copied from the dbt side, counted at dbt's time), a SQL model
    # reading it and a test on that model, listed out of order: the script follows dbt's start times.
    with duckdb.connect(str(tmp_path / "dbt.duckdb")) as dbt_side:
        dbt_side.execute("create schema linked; create table linked.links as select range as id from range(5)")
    manifest = {
        "nodes": {
            "model.p.links": {"language": "python", "relation_name": '"warehouse"."linked"."links"'},
            "model.p.people": {
                "language": "sql", "relation_name": '"warehouse"."derived"."people"',
                "config": {"materialized": "table"},
                "compiled_code": 'select id * 2 as id from "warehouse"."linked"."links"',
            },
            "test.p.odd": {
                "language": "sql", "compiled_code": 'select * from "warehouse"."derived"."people" where id % 2 = 1',
            },
        }
    }  # fmt: skip

    def result(unique_id: str, second: int, seconds: float) -> dict[str, Any]:
        return {"unique_id": unique_id, "execution_time": seconds, "timing": [
            {"name": "execute", "started_at": f"2026-01-01T00:00:0{second}Z", "completed_at": "x"}]}  # fmt: skip

    run_results = {"results": [result("test.p.odd", 3, 0.1), result("model.p.links", 1, 7.0),
                               result("model.p.people", 2, 0.2)]}  # fmt: skip
    con = overhead.script_connection(tmp_path / "script.duckdb", "1GB")
    con.execute(f"attach '{(tmp_path / 'dbt.duckdb').as_posix()}' as dbt_side (read_only)")
    statements, _, borrowed, borrowed_seconds = overhead.replay(con, manifest, run_results)
    assert (statements, borrowed, borrowed_seconds) == (2, 1, 7.0)
    assert con.sql("select sum(id) from warehouse.derived.people").fetchall() == [(20,)]
    con.close()

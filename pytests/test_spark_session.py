"""The Spark session of the `spark` target (repeat_offending.spark): the one dbt-spark's session method uses,
with the project's functions and the research key, and the DuckDB/Spark comparison.

Needs the Spark extra (`make spark-venv`) and Java; skipped without them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java (make spark-venv installs it)", allow_module_level=True)

from repeat_offending.dbt_plugins.raw_files import NOT_A_FILE  # noqa: E402
from repeat_offending.dbt_plugins.transliteration import transliterate_to_latin  # noqa: E402
from repeat_offending.spark import session as spark_session  # noqa: E402
from repeat_offending.spark.compare import compare  # noqa: E402

KEY = "a test key with 'quotes' and \\ backslash"


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("spark_world")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RESEARCH_PSEUDONYM_KEY", KEY)
        patch.setenv("SPARK_DRIVER_MEMORY", "1g")
        session = spark_session.create_session(spark_session.SessionSettings.from_environment(data_dir))
    yield session
    session.stop()


def test_dbt_spark_gets_the_runners_session(spark):
    """dbt-spark's session cursor builds its session this way: it must be ours, with our settings."""
    from pyspark.sql import SparkSession

    theirs = SparkSession.builder.enableHiveSupport().config("spark.sql.ansi.enabled", "true").getOrCreate()
    assert theirs is spark
    assert theirs.conf.get("spark.sql.session.timeZone") == "UTC"
    assert "/spark/warehouse" in theirs.conf.get("spark.sql.warehouse.dir")


def test_functions_give_the_duckdb_plugins_values(spark, tmp_path):
    names = ["Иванов", "Παπαδόπουλος", "\uff33\uff4d\uff49\uff54\uff48", "O'Brien", "plain"]
    rows = spark.createDataFrame([(n,) for n in names], "name string").selectExpr(
        "name", "transliterate_to_latin(name) as latin"
    )
    assert {r.name: r.latin for r in rows.collect()} == {n: transliterate_to_latin(n) for n in names}
    assert spark.sql("select transliterate_to_latin(null) as v").collect()[0].v is None
    truncated = tmp_path / "truncated.parquet"
    truncated.write_bytes(b"PAR1 not really")
    problems = spark.sql(
        f"select parquet_file_problem('{tmp_path / 'missing.parquet'}') as missing,"
        f" parquet_file_problem('{truncated}') as truncated"
    ).collect()[0]
    assert problems.missing == NOT_A_FILE
    assert problems.truncated is not None


def test_research_key_is_a_session_variable_never_in_sql(spark, monkeypatch):
    assert spark.sql("select research_pseudonym_key as k").collect()[0].k == KEY
    statements: list[str] = []
    real_sql = spark.sql

    def recording_sql(text, *args, **kwargs):
        statements.append(text)
        return real_sql(text, *args, **kwargs)

    monkeypatch.setattr(spark, "sql", recording_sql)
    monkeypatch.setenv("RESEARCH_PSEUDONYM_KEY", "another key")
    spark_session.declare_pseudonym_key(spark)
    assert statements and not any("another key" in s for s in statements)
    assert real_sql("select research_pseudonym_key as k").collect()[0].k == "another key"
    monkeypatch.delenv("RESEARCH_PSEUDONYM_KEY")
    spark_session.declare_pseudonym_key(spark)
    assert real_sql("select research_pseudonym_key as k").collect()[0].k is None


def test_parquet_row_index_is_duckdbs_file_row_number(spark, tmp_path):
    path = tmp_path / "rows.parquet"
    with duckdb.connect() as connection:
        connection.execute(f"copy (select range as v from range(2500)) to '{path}' (row_group_size 1000)")
        duck = connection.execute(f"select file_row_number, v from read_parquet('{path}', file_row_number = true)")
        expected = sorted(duck.fetchall())
    found = spark.sql(f"select _metadata.row_index as file_row_number, v from parquet.`{path}`").collect()
    assert sorted((r.file_row_number, r.v) for r in found) == expected


def test_compare_finds_equal_and_different_rows(spark, tmp_path):
    database = tmp_path / "built.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema demo")
        connection.execute(
            "create table demo.same as select * from (values (1, 'a', date '2020-01-02', 0.5),"
            " (1, 'a', date '2020-01-02', 0.5), (2, null, null, null)) as t (id, name, day, share)"
        )
        connection.execute("create table demo.other as select * from demo.same")
    spark.sql("create database if not exists demo")
    rows = "(1, 'a', date '2020-01-02', 0.5), (1, 'a', date '2020-01-02', 0.5), (2, null, null, null)"
    spark.sql(f"create or replace temporary view same as select * from values {rows} as t (id, name, day, share)")
    spark.sql("drop table if exists demo.same")
    spark.sql("create table demo.same using parquet as select * from same")
    spark.sql("drop table if exists demo.other")
    spark.sql(
        "create table demo.other using parquet as select * from values"
        " (1, 'a', date '2020-01-02', 0.5), (2, null, null, null) as t (id, name, day, share)"
    )
    lines: list[str] = []
    results = {
        r.relation: r for r in compare(database, spark, ["demo.same", "demo.other", "demo.none"], out=lines.append)
    }
    assert results["demo.same"].equal
    assert not results["demo.other"].equal
    assert (results["demo.other"].only_in_duckdb, results["demo.other"].only_in_spark) == (1, 0)
    assert not results["demo.none"].equal
    assert any(line.startswith("demo.same") and line.endswith("equal") for line in lines)
    assert lines[-1] == "1 of 3 relations equal"


def test_profile_has_a_spark_session_target():
    import yaml

    profile = yaml.safe_load((Path(__file__).parents[1] / "profiles.yml").read_text())["repeat_offending"]
    spark_output = profile["outputs"]["spark"]
    assert (spark_output["type"], spark_output["method"]) == ("spark", "session")
    assert spark_output["server_side_parameters"]["spark.sql.session.timeZone"] == "UTC"

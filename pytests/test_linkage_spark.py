"""Person linkage on Spark equals person linkage on DuckDB (repeat_offending.linkage.spark_linkage).

A few hundred synthetic people with the recording errors the model's levels are for (typos, nicknames,
middle names used as forenames, double-barrelled surnames, swapped names, dates of birth off by a day,
month or year) are linked on DuckDB (training the model), then on Spark with the model DuckDB trained: the
scored links and every record's person id must be the same. The Spark tests are skipped without pyspark or
Java; the DuckDB ones always run.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from repeat_offending.linkage.justice import JUSTICE_COLUMNS, PROFILE_COLUMNS, person_links, score_probabilistic
from repeat_offending.linkage.model import ModelOptions, settings, with_trained_parameters
from synthetic_people import synthetic_records

IDENTITY_COLUMNS = [
    "record_id", "source_system", "source_table", "source_record_id", "postcode_district", "forename",
    "forename_canonical", "middle_name", "surname", "date_of_birth", "sex", "postcode",
]  # fmt: skip
PREVIOUS = pa.table({"record_id": pa.array([], pa.string()), "person_id": pa.array([], pa.string())})
ISSUED = pa.table({"person_id": pa.array([], pa.string())})


def link_on_duckdb(records: pa.Table, deterministic: pa.Table, threshold: float) -> tuple[pa.Table, pa.Table, dict]:
    """What the two dbt Python models make on DuckDB: match edges, person links and the trained model."""
    scored = score_probabilistic(records.select(["record_id", *PROFILE_COLUMNS]), ModelOptions())
    edges = scored.edges.read_all()
    con = duckdb.connect()
    con.register("records", records)
    con.register("scored", edges)
    con.register("deterministic", deterministic)
    con.register("previous", PREVIOUS)
    con.register("issued", ISSUED)
    con.execute("""
        create view all_edges as
        select record_id_l, record_id_r, 1.0::double as match_probability, link_method from deterministic
        union all select record_id_l, record_id_r, match_probability, link_method from scored
    """)
    links = person_links(con, "records", "all_edges", "previous", "issued", threshold).to_arrow_table()
    return edges, links, scored.model_json


@pytest.fixture(scope="module")
def linked_on_duckdb() -> tuple[pa.Table, pa.Table, pa.Table, pa.Table, dict]:
    records, deterministic = synthetic_records(300)
    edges, links, model_json = link_on_duckdb(records, deterministic, 0.95)
    return records, deterministic, edges, links, model_json


def test_the_synthetic_people_exercise_the_model(linked_on_duckdb: tuple) -> None:
    records, _, edges, links, _ = linked_on_duckdb
    assert records.num_rows > 600
    methods = set(edges.column("link_method").to_pylist())
    assert methods == {"probabilistic", "identical_details"}
    people = len(set(links.column("person_id").to_pylist()))
    assert 200 < people < records.num_rows


def test_a_saved_model_predicts_what_it_predicted_when_trained(linked_on_duckdb: tuple) -> None:
    records, _, edges, _, model_json = linked_on_duckdb
    again = score_probabilistic(records.select(["record_id", *PROFILE_COLUMNS]), trained=model_json)
    assert (
        again.edges.read_all()
        .sort_by([("record_id_l", "ascending"), ("record_id_r", "ascending")])
        .equals(edges.sort_by([("record_id_l", "ascending"), ("record_id_r", "ascending")]))
    )


def test_a_saved_model_of_another_structure_is_refused(linked_on_duckdb: tuple) -> None:
    model_json = linked_on_duckdb[4]
    structure = settings(JUSTICE_COLUMNS, ModelOptions()).create_settings_dict("duckdb")
    fewer = {**model_json, "comparisons": model_json["comparisons"][:-1]}
    with pytest.raises(ValueError, match="other columns"):
        with_trained_parameters(structure, fewer)
    relabelled = [{**c, "comparison_levels": list(c["comparison_levels"])} for c in model_json["comparisons"]]
    relabelled[0]["comparison_levels"][1] = {**relabelled[0]["comparison_levels"][1], "label_for_charts": "other"}
    with pytest.raises(ValueError, match="levels of forename"):
        with_trained_parameters(structure, {**model_json, "comparisons": relabelled})


def _spark_available() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))


needs_spark = pytest.mark.skipif(not _spark_available(), reason="needs pyspark and Java")


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    warehouse = tmp_path_factory.mktemp("spark") / "warehouse"
    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.memory", "2g")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.catalogImplementation", "in-memory")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _load_inputs(spark: Any, records: pa.Table, deterministic: pa.Table) -> None:
    """The upstream linkage tables as the dbt models before the linkage step leave them."""
    spark.sql("create database if not exists linkage")
    tables = {
        "person_identities": records.select(IDENTITY_COLUMNS),
        "trusted_pnc_ids": records.select(["record_id", "pnc_id_trusted"]),
        "deterministic_edges": deterministic,
        "previous_person_links": PREVIOUS,
        "issued_person_ids": ISSUED,
    }
    for name, table in tables.items():
        spark.createDataFrame(table).write.mode("overwrite").saveAsTable(f"linkage.{name}")


def _same_rows(con: duckdb.DuckDBPyConnection, left: pa.Table, right: pa.Table) -> bool:
    con.register("a", left)
    con.register("b", right)
    columns = ", ".join(left.column_names)
    differ = con.sql(f"""
        select count(*) from (
            (select {columns} from a except all select {columns} from b)
            union all (select {columns} from b except all select {columns} from a)
        )
    """).fetchall()[0][0]
    return differ == 0 and left.num_rows == right.num_rows


@needs_spark
def test_jaro_winkler_on_spark_is_duckdbs(spark: Any) -> None:
    from repeat_offending.linkage.spark_linkage import register_jaro_winkler

    register_jaro_winkler(spark)
    pairs = [
        ("MARTHA", "MARHTA"), ("DWAYNE", "DUANE"), ("DIXON", "DICKSONX"), ("JONES", "JOHNSON"), ("", ""),
        ("A", ""), ("SMITH", "SMITH-JONES"), ("ZOË", "ZOE"), ("MOHAMMED", "MUHAMMAD"), (None, "X"), ("X", None),
    ]  # fmt: skip
    vectors = pa.table({"l": [p[0] for p in pairs], "r": [p[1] for p in pairs]})
    spark.createDataFrame(vectors).createOrReplaceTempView("jw_pairs")
    on_spark = [row[0] for row in spark.sql("select jaro_winkler(l, r) from jw_pairs").collect()]
    con = duckdb.connect()
    on_duckdb = [row[0] for row in con.sql("select jaro_winkler_similarity(l, r) from vectors").fetchall()]
    assert on_spark == on_duckdb
    assert on_duckdb[0] == pytest.approx(0.9611, abs=1e-4) and on_duckdb[-1] is None


@needs_spark
def test_profiles_are_numbered_as_duckdb_numbers_them(spark: Any, linked_on_duckdb: tuple) -> None:
    from repeat_offending.linkage.spark_linkage import number_profiles

    records = linked_on_duckdb[0].select(["record_id", *PROFILE_COLUMNS])
    spark.createDataFrame(records).createOrReplaceTempView("profile_records")
    on_spark = number_profiles(spark, "profile_records").toArrow()
    con = duckdb.connect()
    con.register("records", records)
    columns = ", ".join(PROFILE_COLUMNS)
    on_duckdb = con.sql(
        f"select distinct {columns}, dense_rank() over (order by {columns}) as profile_id from records"
    ).to_arrow_table()
    assert on_spark.num_rows == on_duckdb.num_rows > 500
    assert sorted(on_spark.column("profile_id").to_pylist()) == list(range(1, on_spark.num_rows + 1))
    assert _same_rows(con, on_duckdb, on_spark.select(on_duckdb.column_names))


@needs_spark
def test_spark_with_the_duckdb_model_gives_duckdbs_links_and_person_ids(
    spark: Any, linked_on_duckdb: tuple, tmp_path: Path
) -> None:
    from repeat_offending.linkage.spark_linkage import LinkageRelations, run_linkage_on_spark

    records, deterministic, edges, links, model_json = linked_on_duckdb
    _load_inputs(spark, records, deterministic)
    result = run_linkage_on_spark(
        spark, LinkageRelations(), trained_model=model_json, model_out=tmp_path / "splink_model.json"
    )
    assert not result.trained_here and (tmp_path / "splink_model.json").exists()
    spark_edges = spark.table("linkage.match_edges").toArrow()
    spark_links = spark.table("linked.person_links").toArrow()
    assert [(f.name, str(f.type)) for f in spark_edges.schema] == [
        ("record_id_l", "string"),
        ("record_id_r", "string"),
        ("match_probability", "double"),
        ("link_method", "string"),
    ]
    assert spark_links.column_names == links.column_names
    con = duckdb.connect()
    # The same pairs, each with the same orientation and method, and probabilities equal to rounding.
    keys = ["record_id_l", "record_id_r", "link_method"]
    assert _same_rows(con, edges.select(keys), spark_edges.select(keys))
    con.register("d", edges)
    con.register("s", spark_edges)
    largest = con.sql("""
        select max(abs(d.match_probability - s.match_probability)) from d join s using (record_id_l, record_id_r)
    """).fetchall()[0][0]
    assert largest < 1e-9
    # Every record gets the same person id, link method and (to rounding) probability.
    without_probability = [c for c in links.column_names if c != "match_probability"]
    assert _same_rows(con, links.select(without_probability), spark_links.select(without_probability))


@needs_spark
def test_spark_trains_its_own_model_without_a_saved_one(spark: Any, linked_on_duckdb: tuple) -> None:
    from repeat_offending.linkage.spark_linkage import run_linkage_on_spark

    records, deterministic, edges, links, _ = linked_on_duckdb
    _load_inputs(spark, records, deterministic)
    # Few pairs and EM iterations: this is about training running on Spark, not about its estimates.
    result = run_linkage_on_spark(spark, options=ModelOptions(u_max_pairs=2e4, u_chunks=1, em_max_iterations=2))
    assert result.trained_here
    assert result.person_links == links.num_rows
    # Trained on other random samples and briefly, the model still links much as DuckDB's does.
    assert abs(result.match_edges - edges.num_rows) <= 0.1 * edges.num_rows


def test_the_relations_come_from_the_manifest_of_the_dbt_run() -> None:
    from repeat_offending.linkage.spark_linkage import RELATION_FIELDS, LinkageRelations

    defaults = LinkageRelations()
    nodes = {}
    for field in RELATION_FIELDS:
        schema, table = getattr(defaults, field).split(".")
        config = {"min_match_probability": "0.6", "match_threshold": 0.9}
        nodes[f"model.p.{schema}__{table}"] = {
            "name": f"{schema}__{table}",
            "resource_type": "model",
            "package_name": "p",
            "schema": f"dev_{schema}",
            "alias": table,
            "config": config,
        }
    nodes["model.other.linkage__match_edges"] = {**nodes["model.p.linkage__match_edges"], "package_name": "other"}
    relations = LinkageRelations.from_manifest({"metadata": {"project_name": "p"}, "nodes": nodes})
    assert relations.match_edges == "dev_linkage.match_edges"
    assert relations.person_links == "dev_linked.person_links"
    assert (relations.min_match_probability, relations.match_threshold) == (0.6, 0.9)


def test_the_published_releases_model_is_found(tmp_path: Path) -> None:
    from repeat_offending.linkage.spark_linkage import published_model

    with pytest.raises(FileNotFoundError, match="no release is published"):
        published_model(tmp_path)
    releases = tmp_path / "releases"
    (releases / "r1" / "linkage").mkdir(parents=True)
    (releases / "r1.duckdb").touch()
    (tmp_path / "warehouse.duckdb").symlink_to(releases / "r1.duckdb")
    with pytest.raises(FileNotFoundError, match="no trained model"):
        published_model(tmp_path)
    (releases / "r1" / "linkage" / "splink_model.json").write_text("{}")
    assert published_model(tmp_path) == releases / "r1" / "linkage" / "splink_model.json"

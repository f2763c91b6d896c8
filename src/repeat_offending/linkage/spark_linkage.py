"""Person linkage on Spark: the two tables the linkage Python models make on DuckDB, written by Splink's
SparkAPI in a Spark session (dbt-spark runs Python models only on Databricks).

On the `spark` target the runner (``repeat_offending.spark``) runs dbt up to the linkage inputs, then
``run_linkage_on_spark`` in the same process and Spark session, then dbt for the rest, whose refs and tests
read the two tables as the models' relations:

- ``linkage.match_edges`` (model ``linkage__match_edges``): the same profiles, model and SQL as on DuckDB
  (``justice.score_probabilistic``), scored by Splink on Spark. The model's SQL strings are tagged with
  their dialect (``model.SQL_DIALECT``) and translated by Splink. Jaro-Winkler is DuckDB's own
  ``jaro_winkler_similarity``, called from a pandas UDF registered as Splink's ``jaro_winkler``: Splink's
  Scala UDF gives other values (0.9095 where DuckDB gives 0.9286), so links would differ by engine.
- ``linked.person_links`` (model ``linked__person_links``): clustering and person ids are backend-neutral:
  the same code as on DuckDB (``justice.person_links``) runs in an in-process DuckDB database on the records
  and links collected from Spark, so the same links give the same person ids on both engines. It sees
  integer arrays and a few string columns: some gigabytes of driver memory at national scale.

With ``trained_model`` (the model a DuckDB build saved, <release folder>/linkage/splink_model.json) Spark
predicts with those parameters, so the two engines' links are equal (training samples pairs at random, and
the samples differ by engine); without it the model is trained on Spark.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd
import pyarrow as pa

from .justice import JUSTICE_COLUMNS, PROFILE_COLUMNS, person_links
from .model import ModelOptions, load_trained, predict_table, train
from .saved_model import MODEL_FILE

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

LOGGER = logging.getLogger(__name__)

JARO_WINKLER_FUNCTION = "jaro_winkler"  # the name Splink's Spark dialect calls
MATCH_EDGES_SCHEMA = "record_id_l string, record_id_r string, match_probability double, link_method string"
PERSON_LINKS_SCHEMA = (
    "source_system string, source_table string, source_record_id string, person_id string, link_method string,"
    " match_probability double, record_id string"
)


@dataclass(frozen=True)
class LinkageRelations:
    """Where the linkage step reads and writes on Spark (``schema.table``), and the two models' settings.

    The defaults are what the project's naming gives (``<schema>__<table>`` builds ``schema.table``) and the
    models' configs; ``from_manifest`` reads them from the manifest of the dbt invocation before."""

    person_identities: str = "linkage.person_identities"
    trusted_pnc_ids: str = "linkage.trusted_pnc_ids"
    deterministic_edges: str = "linkage.deterministic_edges"
    previous_person_links: str = "linkage.previous_person_links"
    issued_person_ids: str = "linkage.issued_person_ids"
    match_edges: str = "linkage.match_edges"
    person_links: str = "linked.person_links"
    min_match_probability: float = 0.5  # linkage__match_edges' config
    match_threshold: float = 0.95  # linked__person_links' config (var linkage_match_threshold)

    @classmethod
    def from_manifest(cls, manifest: Path | str | Mapping[str, Any]) -> LinkageRelations:
        """The relations and settings a dbt manifest (target/manifest.json of the spark target) gives."""
        data = json.loads(Path(manifest).read_text()) if isinstance(manifest, (str, Path)) else manifest
        models = {
            node["name"]: node
            for node in data["nodes"].values()
            if node["resource_type"] == "model" and node["package_name"] == data["metadata"]["project_name"]
        }
        defaults = cls()
        names: dict[str, Any] = {}
        for field in RELATION_FIELDS:
            node = models[_model_name(getattr(defaults, field))]
            names[field] = f"{node['schema']}.{node['alias']}"
        return cls(
            **names,
            min_match_probability=float(models["linkage__match_edges"]["config"]["min_match_probability"]),
            match_threshold=float(models["linked__person_links"]["config"]["match_threshold"]),
        )


RELATION_FIELDS = (
    "person_identities",
    "trusted_pnc_ids",
    "deterministic_edges",
    "previous_person_links",
    "issued_person_ids",
    "match_edges",
    "person_links",
)


def _model_name(relation: str) -> str:
    schema, table = relation.split(".")
    return f"{schema}__{table}"


@dataclass
class SparkLinkageResult:
    match_edges: int  # rows written
    person_links: int
    model_json: dict  # the model used (trained here or given)
    trained_here: bool


@dataclass
class ScoredOnSpark:
    edges: DataFrame  # record_id_l, record_id_r, match_probability, link_method
    model_json: dict
    trained_here: bool
    release: Callable[[], None]  # frees the cached tables and Splink's, once the edges are written


def _duckdb_jaro_winkler(left: pd.Series, right: pd.Series) -> pd.Series:
    """DuckDB's jaro_winkler_similarity of each pair (null when either is null)."""
    pairs = pa.table({"l": pa.array(left, type=pa.string()), "r": pa.array(right, type=pa.string())})
    con = duckdb.connect()
    try:
        con.register("pairs", pairs)
        similarity = con.sql("select jaro_winkler_similarity(l, r) as s from pairs").to_arrow_table().column("s")
    finally:
        con.close()
    return similarity.to_pandas(types_mapper={pa.float64(): pd.Float64Dtype()}.get)


def register_jaro_winkler(spark: SparkSession, name: str = JARO_WINKLER_FUNCTION) -> None:
    """Register DuckDB's Jaro-Winkler similarity in ``spark`` as the function ``name`` (a pandas UDF, so the
    Python workers need duckdb: PYSPARK_PYTHON should be this environment's interpreter)."""
    from pyspark.sql.functions import pandas_udf

    spark.udf.register(name, pandas_udf(_duckdb_jaro_winkler, "double"))  # type: ignore[call-overload]


def spark_db_api(spark: SparkSession, break_lineage_method: str | None = None) -> Any:
    """Splink's SparkAPI on ``spark`` with DuckDB's Jaro-Winkler (not the Scala jar's). Intermediate tables
    are written as Parquet under the checkpoint directory when the session has one, else persisted."""
    from splink import SparkAPI

    register_jaro_winkler(spark)
    if break_lineage_method is None:
        has_checkpoint_dir = not spark.sparkContext._jsc.sc().getCheckpointDir().isEmpty()  # type: ignore[union-attr]
        break_lineage_method = "parquet" if has_checkpoint_dir else "persist"
    return SparkAPI(spark_session=spark, break_lineage_method=break_lineage_method, register_udfs_automatically=False)


def number_profiles(spark: SparkSession, records: str) -> DataFrame:
    """The distinct profiles (PROFILE_COLUMNS) of the view ``records``, each with its number (profile_id):
    ``dense_rank() over (order by <PROFILE_COLUMNS> nulls last)``, as DuckDB numbers them, without a window
    over all rows (one task would sort them all). The profiles are range-partitioned in that order and
    numbered within their partition, after the profiles of the partitions before it. Persisted, as the
    partitions must not be sampled again."""
    from pyspark.sql import Window, functions

    order = [functions.col(c).asc_nulls_last() for c in PROFILE_COLUMNS]
    partitions = int(spark.conf.get("spark.sql.shuffle.partitions") or 4)
    ranged = (
        spark.table(records)
        .select(*PROFILE_COLUMNS)
        .distinct()
        .repartitionByRange(partitions, *order)
        .withColumn("_partition", functions.spark_partition_id())
        .persist()
    )
    sizes = sorted(ranged.groupBy("_partition").count().collect())
    offsets, before = [], 0
    for partition, size in sizes:
        offsets.append((partition, before))
        before += size
    starts = spark.createDataFrame(offsets, "_partition int, _offset long")
    within = Window.partitionBy("_partition").orderBy(*order)
    numbered = (
        ranged.join(functions.broadcast(starts), "_partition")
        .select(*PROFILE_COLUMNS, (functions.col("_offset") + functions.row_number().over(within)).alias("profile_id"))
        .persist()
    )
    numbered.count()
    ranged.unpersist()
    return numbered


def score_probabilistic_spark(
    spark: SparkSession,
    records: DataFrame,
    options: ModelOptions | None = None,
    trained: dict | None = None,
    db_api: Any = None,
) -> ScoredOnSpark:
    """``justice.score_probabilistic`` on Spark: identical-details links and the model's scored links
    between profiles, mapped to one representative record per profile (record_id_l, record_id_r,
    match_probability, link_method), the model's parameters, and whether it was trained here. The links
    are a lazy DataFrame over cached tables: write them, then ``release()``.

    Profiles are numbered as on DuckDB (``number_profiles``), so the model sees the same unique ids and each
    link has the same orientation on both engines."""
    db_api = db_api or spark_db_api(spark)
    columns = ", ".join(PROFILE_COLUMNS)
    records.createOrReplaceTempView("_linkage_records_in")
    numbered = number_profiles(spark, "_linkage_records_in")
    numbered.createOrReplaceTempView("_linkage_profile_numbers")
    same_profile = " and ".join(f"r.{c} <=> n.{c}" for c in PROFILE_COLUMNS)
    record_profiles = spark.sql(f"""
        select r.record_id, {", ".join(f"r.{c}" for c in PROFILE_COLUMNS)}, n.profile_id
        from _linkage_records_in as r inner join _linkage_profile_numbers as n on {same_profile}
    """).persist()
    record_profiles.createOrReplaceTempView("_linkage_record_profiles")
    profiles = spark.sql(f"""
        select profile_id, {", ".join(f"any_value({c}) as {c}" for c in PROFILE_COLUMNS)},
               min(record_id) as representative_id
        from _linkage_record_profiles group by profile_id
    """).persist()
    profiles.createOrReplaceTempView("_linkage_profiles")
    # A view's name, as on DuckDB: Splink registers it without making a table of its own.
    spark.sql(f"select profile_id, {columns} from _linkage_profiles").createOrReplaceTempView("_linkage_identities")
    if trained is None:
        model = train("_linkage_identities", JUSTICE_COLUMNS, options, db_api=db_api)
    else:
        model = load_trained("_linkage_identities", JUSTICE_COLUMNS, trained, options, db_api=db_api)
    predictions = predict_table(model, options)
    uid = JUSTICE_COLUMNS.unique_id
    edges = spark.sql(f"""
        select pl.representative_id as record_id_l, pr.representative_id as record_id_r,
               cast(e.match_probability as double) as match_probability, 'probabilistic' as link_method
        from {predictions} as e
        inner join _linkage_profiles as pl on e.{uid}_l = pl.profile_id
        inner join _linkage_profiles as pr on e.{uid}_r = pr.profile_id
        union all
        select p.representative_id, rp.record_id, cast(1.0 as double), 'identical_details'
        from _linkage_record_profiles as rp inner join _linkage_profiles as p using (profile_id)
        where rp.record_id != p.representative_id
    """)

    def release() -> None:
        model.linker.table_management.delete_tables_created_by_splink_from_db()
        for frame in (numbered, record_profiles, profiles):
            frame.unpersist()
        for view in (
            "_linkage_records_in",
            "_linkage_profile_numbers",
            "_linkage_record_profiles",
            "_linkage_profiles",
            "_linkage_identities",
        ):
            spark.catalog.dropTempView(view)

    return ScoredOnSpark(edges=edges, model_json=model.parameters(), trained_here=trained is None, release=release)


def _write_table(spark: SparkSession, frame: DataFrame, name: str, schema: str, file_format: str) -> int:
    """Replace table ``name`` (schema.table) by ``frame``, with the columns and types of ``schema``."""
    columns = [c.strip().split(" ")[0] for c in schema.split(",")]
    spark.sql(f"create database if not exists {name.split('.')[0]}")
    typed = frame.select(*columns).to(spark.createDataFrame([], schema).schema)
    typed.write.mode("overwrite").format(file_format).saveAsTable(name)
    return spark.table(name).count()


def _arrow(frame: DataFrame) -> pa.Table:
    return frame.toArrow()


def person_links_spark(spark: SparkSession, relations: LinkageRelations, match_edges: DataFrame) -> DataFrame:
    """linked.person_links from the linkage tables in ``spark`` and the scored links ``match_edges``,
    computed by ``justice.person_links`` in an in-process DuckDB database (see the module docstring)."""
    r = relations
    records = spark.sql(f"""
        select i.record_id, i.source_system, i.source_table, i.source_record_id, i.postcode_district,
               t.pnc_id_trusted
        from {r.person_identities} as i inner join {r.trusted_pnc_ids} as t using (record_id)
    """)
    deterministic = spark.sql(f"""
        select record_id_l, record_id_r, cast(1.0 as double) as match_probability, link_method
        from {r.deterministic_edges}
    """)
    edges = deterministic.unionByName(match_edges.select(*deterministic.columns))
    con = duckdb.connect()
    try:
        con.register("_person_link_records", _arrow(records))
        con.register("_person_link_all_edges", _arrow(edges))
        previous = spark.sql(f"select record_id, person_id from {r.previous_person_links}")
        con.register("_person_link_previous", _arrow(previous))
        con.register("_person_link_issued", _arrow(spark.sql(f"select person_id from {r.issued_person_ids}")))
        result = person_links(
            con,
            "_person_link_records",
            "_person_link_all_edges",
            "_person_link_previous",
            "_person_link_issued",
            r.match_threshold,
        ).to_arrow_table()
    finally:
        con.close()
    return spark.createDataFrame(result.cast(spark_arrow_schema(result.schema)))


def spark_arrow_schema(schema: pa.Schema) -> pa.Schema:
    """``schema`` with string columns as plain strings (Spark reads no string views)."""
    return pa.schema([pa.field(f.name, pa.string() if _is_string(f.type) else f.type) for f in schema])


def _is_string(arrow_type: pa.DataType) -> bool:
    return pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type) or str(arrow_type) == "string_view"


def published_model(data_dir: Path | str) -> Path:
    """The model the published release of ``data_dir`` trained (<release folder>/linkage/splink_model.json),
    e.g. the DuckDB build's, for ``run_linkage_on_spark(trained_model=...)``."""
    from repeat_offending.release.layout import Layout

    layout = Layout(Path(data_dir))
    published = layout.published()
    if published is None:
        raise FileNotFoundError(f"no release is published in {data_dir}")
    path = layout.folder(published) / MODEL_FILE
    if not path.is_file():
        raise FileNotFoundError(f"the published release of {data_dir} has no trained model ({path})")
    return path


def run_linkage_on_spark(
    spark: SparkSession,
    relations: LinkageRelations | None = None,
    *,
    manifest: Path | str | None = None,
    trained_model: Path | str | dict | None = None,
    model_out: Path | str | None = None,
    file_format: str = "parquet",
    options: ModelOptions | None = None,
) -> SparkLinkageResult:
    """Write linkage.match_edges and linked.person_links in ``spark`` from the upstream linkage tables, as
    the models linkage__match_edges and linked__person_links do on DuckDB (same names, columns and types).

    ``relations``: where to read and write (default: ``LinkageRelations.from_manifest(manifest)`` when a
    manifest is given, else the project's default names). ``trained_model``: a saved model (path to a
    splink_model.json or its dict) to predict with; None trains on Spark. ``model_out``: where to save the
    model used (as the DuckDB build does). Tables are written with ``file_format``."""
    if relations is None:
        relations = LinkageRelations.from_manifest(manifest) if manifest is not None else LinkageRelations()
    trained = json.loads(Path(trained_model).read_text()) if isinstance(trained_model, (str, Path)) else trained_model
    records = spark.sql(f"""
        select i.record_id, {", ".join(f"i.{c}" for c in PROFILE_COLUMNS if c != "pnc_id_trusted")},
               t.pnc_id_trusted
        from {relations.person_identities} as i inner join {relations.trusted_pnc_ids} as t using (record_id)
    """)
    options = replace(options or ModelOptions(), min_match_probability=relations.min_match_probability)
    scored = score_probabilistic_spark(spark, records, options, trained)
    try:
        match_edges = _write_table(spark, scored.edges, relations.match_edges, MATCH_EDGES_SCHEMA, file_format)
    finally:
        scored.release()
    links = person_links_spark(spark, relations, spark.table(relations.match_edges))
    person_links_count = _write_table(spark, links, relations.person_links, PERSON_LINKS_SCHEMA, file_format)
    if model_out is not None:
        Path(model_out).parent.mkdir(parents=True, exist_ok=True)
        Path(model_out).write_text(json.dumps(scored.model_json, indent=2, default=str))
    LOGGER.info("linkage on Spark: %s match edges, %s person links", match_edges, person_links_count)
    return SparkLinkageResult(match_edges, person_links_count, scored.model_json, scored.trained_here)

"""Row-for-row comparison of relations built on DuckDB and on Spark from the same world.

Each relation (``schema.table``, named alike on both engines) is read from the Spark session as Arrow, cast
column by column to the types DuckDB's relation has, and compared in DuckDB with ``EXCEPT ALL`` both ways,
so duplicates count. One line per relation: its name, the row counts on both engines and ``equal`` or
``different`` (with how many rows only one engine has, and which columns only one engine has). Timestamps
are compared in UTC (the Spark session's zone; DuckDB's are naive).

Used by ``make test-spark`` (README "Spark") and, as a command, on a finished Spark build::

    python -m repeat_offending.spark.compare --duckdb DATA_DIR/warehouse.duckdb --data-dir DATA_DIR \\
        --schemas reference 'stg_*' staging_checks --relations audit.quarantine
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@dataclass(frozen=True)
class Comparison:
    """The outcome for one relation."""

    relation: str
    duckdb_rows: int | None
    spark_rows: int | None
    only_in_duckdb: int = 0
    only_in_spark: int = 0
    missing_columns: tuple[str, ...] = ()
    extra_columns: tuple[str, ...] = ()
    error: str | None = None

    @property
    def equal(self) -> bool:
        return (
            self.error is None
            and not self.missing_columns
            and not self.extra_columns
            and self.only_in_duckdb == 0
            and self.only_in_spark == 0
            and self.duckdb_rows == self.spark_rows
        )

    def line(self) -> str:
        counts = f"{_count(self.duckdb_rows):>9} {_count(self.spark_rows):>9}"
        if self.equal:
            return f"{self.relation:<52} {counts}  equal"
        details = []
        if self.error:
            details.append(self.error)
        if self.missing_columns:
            details.append("columns not on Spark: " + ", ".join(self.missing_columns))
        if self.extra_columns:
            details.append("columns only on Spark: " + ", ".join(self.extra_columns))
        if self.only_in_duckdb or self.only_in_spark:
            details.append(f"{self.only_in_duckdb} rows only on DuckDB, {self.only_in_spark} only on Spark")
        return f"{self.relation:<52} {counts}  different ({'; '.join(details)})"


def _count(rows: int | None) -> str:
    return "-" if rows is None else str(rows)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def duckdb_relations(connection: duckdb.DuckDBPyConnection, schema_patterns: Iterable[str]) -> list[str]:
    """``schema.table`` of every table and view of the attached database ``built`` whose schema matches one
    of the patterns (fnmatch: ``stg_*``), sorted."""
    rows = connection.execute(
        "select table_schema, table_name from information_schema.tables where table_catalog = 'built'"
    ).fetchall()
    patterns = list(schema_patterns)
    return sorted(
        f"{schema}.{table}" for schema, table in rows if any(fnmatch.fnmatchcase(schema, p) for p in patterns)
    )


def compare_relation(connection: duckdb.DuckDBPyConnection, spark: SparkSession, relation: str) -> Comparison:
    """Compare one relation: ``built.<relation>`` in ``connection`` against ``spark.table(relation)``."""
    schema, table = relation.split(".", 1)
    columns = connection.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_catalog = 'built' and table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    if not columns:
        return Comparison(relation, None, None, error="not on DuckDB")
    duckdb_rows = connection.execute(f"select count(*) from built.{_quote(schema)}.{_quote(table)}").fetchone()
    duckdb_count = int(duckdb_rows[0]) if duckdb_rows else 0
    try:
        spark_table = spark.table(relation).toArrow()
    except Exception as error:  # an absent relation or one Spark cannot read: reported, not raised
        return Comparison(relation, duckdb_count, None, error=f"not readable on Spark ({type(error).__name__})")
    spark_columns = {name.lower(): name for name in spark_table.column_names}
    names = [name for name, _ in columns]
    missing = tuple(name for name in names if name.lower() not in spark_columns)
    extra = tuple(original for lower, original in spark_columns.items() if lower not in {n.lower() for n in names})
    if missing:
        return Comparison(relation, duckdb_count, spark_table.num_rows, missing_columns=missing, extra_columns=extra)
    connection.register("spark_rows", spark_table)
    try:
        spark_select = ", ".join(
            f"cast(spark_rows.{_quote(spark_columns[name.lower()])} as {data_type}) as {_quote(name)}"
            for name, data_type in columns
        )
        duckdb_select = ", ".join(_quote(name) for name, _ in columns)
        duckdb_side = f"select {duckdb_select} from built.{_quote(schema)}.{_quote(table)}"
        spark_side = f"select {spark_select} from spark_rows"
        only_duckdb = connection.execute(f"select count(*) from ({duckdb_side} except all {spark_side})").fetchone()
        only_spark = connection.execute(f"select count(*) from ({spark_side} except all {duckdb_side})").fetchone()
    except duckdb.Error as error:
        return Comparison(relation, duckdb_count, spark_table.num_rows, error=f"cannot compare: {error}")
    finally:
        connection.unregister("spark_rows")
    return Comparison(
        relation,
        duckdb_count,
        spark_table.num_rows,
        only_in_duckdb=int(only_duckdb[0]) if only_duckdb else 0,
        only_in_spark=int(only_spark[0]) if only_spark else 0,
        extra_columns=extra,
    )


def compare(
    duckdb_path: Path | str,
    spark: SparkSession,
    relations: Sequence[str] = (),
    *,
    schemas: Sequence[str] = (),
    out: Callable[[str], None] = print,
) -> list[Comparison]:
    """Compare ``relations`` (and every relation of the DuckDB file in ``schemas``, patterns allowed) between
    the DuckDB database file and the Spark session; prints one line per relation with ``out``."""
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        connection.execute(f"attach '{str(duckdb_path).replace(chr(39), chr(39) * 2)}' as built (read_only)")
        names = list(dict.fromkeys([*duckdb_relations(connection, schemas), *relations]))
        out(f"{'relation':<52} {'DuckDB':>9} {'Spark':>9}")
        results = []
        for name in names:
            result = compare_relation(connection, spark, name)
            out(result.line())
            results.append(result)
    equal = sum(result.equal for result in results)
    out(f"{equal} of {len(results)} relations equal")
    return results


def main(argv: Sequence[str] | None = None) -> int:
    from .session import SessionSettings, create_session

    parser = argparse.ArgumentParser(
        prog="python -m repeat_offending.spark.compare", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--duckdb", type=Path, required=True, help="the DuckDB build (e.g. DATA_DIR/warehouse.duckdb)")
    parser.add_argument("--data-dir", type=Path, required=True, help="the world the Spark build used (DATA_DIR/spark/)")
    parser.add_argument("--schemas", nargs="*", default=[], help="schemas (patterns) whose relations to compare")
    parser.add_argument("--relations", nargs="*", default=[], help="more relations, schema.table")
    args = parser.parse_args(argv)
    spark = create_session(SessionSettings.from_environment(args.data_dir))
    results = compare(args.duckdb, spark, args.relations, schemas=args.schemas)
    return 0 if results and all(result.equal for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Two releases compared table by table: the rows only in one, the other, or both (``release compare``).

What it is for: a refresh must equal a full build of the same extract (docs/methodology.md section 10), and a
user checking that, or what a new extract changed, compares the two releases. Rows are compared as multisets
(``EXCEPT ALL`` both ways) with every text value's release id replaced by ``<release>``, since each release
names itself (e.g. the history rows it adds). Only counts are reported, never values: the tables hold
people's details.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from repeat_offending.project import memory_limit

RELEASE_PLACEHOLDER = "<release>"
DEFAULT_SCHEMAS = ("linkage", "linked", "derived", "publication", "research")
"""The schemas compared unless others are given: linkage to research (staging is rebuilt in full by any build;
audit, evaluation and snapshots record the build itself)."""
NOT_COMPARED = {"linkage.profile_changes": "what a refresh found changed since its previous release; empty otherwise"}
"""Tables of those schemas that describe how the release was built, not what it holds."""


@dataclass(frozen=True)
class TableDifference:
    relation: str
    rows_a: int
    rows_b: int
    only_in_a: int
    only_in_b: int
    columns_differ: bool = False

    @property
    def equal(self) -> bool:
        return not self.columns_differ and self.only_in_a == 0 and self.only_in_b == 0


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, relation: str) -> list[tuple[str, str]]:
    schema, table = relation.split(".", 1)
    return [
        (name, data_type)
        for name, data_type in con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position",
            [catalog, schema, table],
        ).fetchall()
    ]


def _tables(con: duckdb.DuckDBPyConnection, catalog: str, schemas: Sequence[str]) -> set[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_catalog = ? and table_schema in (select unnest(?)) and table_type = 'BASE TABLE'",
        [catalog, list(schemas)],
    ).fetchall()
    return {name for (name,) in rows if name not in NOT_COMPARED}


def compare_releases(
    database_a: Path,
    database_b: Path,
    release_ids: tuple[str, str],
    schemas: Sequence[str] = DEFAULT_SCHEMAS,
    temp_directory: Path | None = None,
) -> list[TableDifference]:
    """Every table of ``schemas`` in either release but those NOT_COMPARED, compared; a table missing from one
    counts all its rows as only in the other. ``release_ids``: the ids of A and B, replaced in text values."""
    config = {"memory_limit": memory_limit()}
    if temp_directory is not None:
        config["temp_directory"] = str(temp_directory)
    con = duckdb.connect(config=config)
    try:
        con.execute(f"attach {_quoted(str(database_a))} as release_a (read_only)")
        con.execute(f"attach {_quoted(str(database_b))} as release_b (read_only)")
        in_a, in_b = _tables(con, "release_a", schemas), _tables(con, "release_b", schemas)
        return [
            _compare_table(con, relation, relation in in_a, relation in in_b, release_ids)
            for relation in sorted(in_a | in_b)
        ]
    finally:
        con.close()


def _compare_table(
    con: duckdb.DuckDBPyConnection, relation: str, in_a: bool, in_b: bool, release_ids: tuple[str, str]
) -> TableDifference:
    def count(catalog: str) -> int:
        return int(con.execute(f"select count(*) from {catalog}.{relation}").fetchall()[0][0])

    rows_a, rows_b = count("release_a") if in_a else 0, count("release_b") if in_b else 0
    if not (in_a and in_b):
        return TableDifference(relation, rows_a, rows_b, rows_a, rows_b, columns_differ=True)
    columns = _columns(con, "release_a", relation)
    if columns != _columns(con, "release_b", relation):
        return TableDifference(relation, rows_a, rows_b, rows_a, rows_b, columns_differ=True)

    def select(catalog: str, release_id: str) -> str:
        values = [
            f'replace("{name}", {_quoted(release_id)}, {_quoted(RELEASE_PLACEHOLDER)})'
            if data_type == "VARCHAR"
            else f'"{name}"'
            for name, data_type in columns
        ]
        return f"select {', '.join(values)} from {catalog}.{relation}"

    a, b = select("release_a", release_ids[0]), select("release_b", release_ids[1])
    only_a = int(con.execute(f"select count(*) from ({a} except all {b})").fetchall()[0][0])
    only_b = int(con.execute(f"select count(*) from ({b} except all {a})").fetchall()[0][0])
    return TableDifference(relation, rows_a, rows_b, only_a, only_b)


def report(differences: Sequence[TableDifference]) -> str:
    """A table of the comparison, one line per relation."""
    lines = [f"{'relation':<52}{'rows A':>12}{'rows B':>12}{'only in A':>12}{'only in B':>12}  "]
    for d in differences:
        note = "columns differ or table missing" if d.columns_differ else ("equal" if d.equal else "differ")
        lines.append(f"{d.relation:<52}{d.rows_a:>12}{d.rows_b:>12}{d.only_in_a:>12}{d.only_in_b:>12}  {note}")
    unequal = sum(not d.equal for d in differences)
    lines.append(f"{len(differences)} tables compared, {unequal} differ")
    return "\n".join(lines)

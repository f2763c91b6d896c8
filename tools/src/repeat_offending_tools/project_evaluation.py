"""What `make evaluate-project` reports from dbt-project-evaluator's throwaway database.

    project-evaluation list DATABASE
        prints every finding the evaluator's rules (its ``fct_*`` tables, coverage aside) kept after the
        exceptions: those are what failed the evaluation.
    project-evaluation clear DATABASE
        empties the exceptions seed's table, so that the rules rebuilt next keep every finding;
    project-evaluation stale DATABASE EXCEPTIONS_CSV
        after the rules were rebuilt so: prints every exception row that matches no finding
        (stale: remove it) and exits 1 if there is one.

An exception row leaves out the findings of rule ``fct_name`` whose ``column_name`` is ``like``
``id_to_exclude`` (the evaluator's own filter, macro ``filter_exceptions``).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import duckdb

COVERAGE_SUFFIX = "_coverage"
EXCEPTIONS_TABLE = "dbt_project_evaluator_exceptions"


def rule_tables(db: duckdb.DuckDBPyConnection) -> list[str]:
    """The evaluator's rule tables (``fct_*``) in the database, without the coverage summaries (one row each)."""
    names = [row[0] for row in db.execute("select table_name from information_schema.tables").fetchall()]
    return sorted(n for n in names if n.startswith("fct_") and not n.endswith(COVERAGE_SUFFIX))


def list_findings(database: Path) -> int:
    with duckdb.connect(str(database), read_only=True) as db:
        for name in rule_tables(db):
            for row in db.execute(f'select * from main."{name}"').fetchall():
                print(f"  {name}: {row}")
    return 0


def clear_exceptions(database: Path) -> int:
    with duckdb.connect(str(database)) as db:
        db.execute(f'delete from main."{EXCEPTIONS_TABLE}"')
    return 0


def stale_exceptions(database: Path, exceptions: Path) -> list[dict[str, str]]:
    """The exception rows that match no finding of the (unfiltered) rule tables."""
    with exceptions.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    stale: list[dict[str, str]] = []
    with duckdb.connect(str(database), read_only=True) as db:
        tables = set(rule_tables(db))
        for row in rows:
            table, column = row["fct_name"], row["column_name"]
            matches = 0
            if table in tables:
                query = f'select count(*) from main."{table}" where cast("{column}" as varchar) like ?'
                result = db.execute(query, [row["id_to_exclude"]]).fetchone()
                matches = int(result[0]) if result else 0
            if matches == 0:
                stale.append(row)
    return stale


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) == 2 and argv[0] == "list":
        return list_findings(Path(argv[1]))
    if len(argv) == 2 and argv[0] == "clear":
        return clear_exceptions(Path(argv[1]))
    if len(argv) == 3 and argv[0] == "stale":
        stale = stale_exceptions(Path(argv[1]), Path(argv[2]))
        for row in stale:
            print(
                f"  stale exception (matches no finding; remove it): {row['fct_name']} / {row['column_name']} "
                f"like {row['id_to_exclude']}"
            )
        return 1 if stale else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of name standardisation: what the Python transliteration costs, at national scale.

``standardise_name`` (macros/cleaning/) first transliterates names to Latin letters with a Python function
registered in DuckDB by the dbt-duckdb plugin ``repeat_offending.dbt_plugins.transliteration``, called only for
values with a character outside ASCII. This script compiles the macro with dbt (target ``lint``, nothing
touches a file), builds a table of N names of which a given share are not ASCII (Cyrillic, Greek, full-width,
accented Latin), and times three versions of the expression over it in an in-memory DuckDB:

- ``sql only``: the expression without transliteration (what the other adapters run);
- ``guarded``: the project's expression (Python only for non-ASCII values);
- ``unguarded``: Python called for every value (what the guard avoids).

Usage: benchmark-name-standardisation [--rows 42600000] [--non-ascii-share 0.01]
       (42.6 million is the number of staged person records at national scale, 10 million people)
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from repeat_offending.dbt_plugins.transliteration import FUNCTION_NAME, register
from repeat_offending.project import PROJECT_ROOT

ROOT = PROJECT_ROOT
DBT = str(Path(sys.executable).with_name("dbt"))
NON_ASCII_NAMES = ("Иванов", "Παπαδόπουλος", "\uff33\uff2d\uff29\uff34\uff28", "Müller", "Ødegaard", "王")


def compiled_expression() -> str:
    """The SQL of ``standardise_name('name')`` on DuckDB, compiled by dbt."""
    completed = subprocess.run(
        [
            DBT,
            "compile",
            "--quiet",
            "--profiles-dir",
            str(ROOT),
            "--project-dir",
            str(ROOT),
            "--target",
            "lint",
            "--inline",
            "select {{ standardise_name('name') }} as name_std from names",
        ],
        cwd=ROOT,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        capture_output=True,
        text=True,
        check=True,
    )
    match = re.search(r"select (.*) as name_std from names", completed.stdout, re.DOTALL)
    if match is None:
        raise SystemExit("could not find the compiled expression in dbt's output")
    return match.group(1)


def variants(expression: str) -> dict[str, str]:
    """The expression with the guarded call, without transliteration, and with Python on every value."""
    guard = re.search(r"case\s+when regexp_matches\(name, .*?\)\s+then .*?\s+else name\s+end", expression, re.DOTALL)
    if guard is None:
        raise SystemExit("the compiled expression has no guarded transliteration (is the adapter DuckDB?)")
    return {
        "sql only": expression.replace(guard.group(0), "name"),
        "guarded": expression,
        "unguarded": expression.replace(guard.group(0), f"{FUNCTION_NAME}(name)"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=42_600_000)
    parser.add_argument("--non-ascii-share", type=float, default=0.01)
    parser.add_argument("--skip-unguarded", action="store_true", help="do not time Python on every value")
    args = parser.parse_args(argv)

    con = duckdb.connect()
    register(con)
    every = max(1, round(1 / args.non_ascii_share)) if args.non_ascii_share > 0 else 0
    non_ascii = ", ".join("'" + name + "'" for name in NON_ASCII_NAMES)
    con.execute(
        f"""
        create table names as
        select
            case
                when {every} > 0 and i % {every} = 0 then [{non_ascii}][1 + (i // {every}) % {len(NON_ASCII_NAMES)}]
                else 'Smith-' || (i % 50000) || ' O''Brien'
            end as name
        from range({args.rows}) as t(i)
        """
    )
    counted = con.execute(r"select count(*) from names where regexp_matches(name, '[^\x{0}-\x{7F}]')").fetchone()
    print(f"{args.rows:,} names, {counted[0] if counted else 0:,} not ASCII")
    print("| version | seconds |")
    print("| --- | ---: |")
    for name, sql in variants(compiled_expression()).items():
        if name == "unguarded" and args.skip_unguarded:
            continue
        started = time.perf_counter()
        con.execute(f"select count(distinct {sql}) from names").fetchone()
        print(f"| {name} | {time.perf_counter() - started:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

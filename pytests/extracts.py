"""Helpers for the tests that build copies of an extract: copy a world's raw files, change them, build the
dbt project on the copy, and check that the input was left as it was and that no log names a person.

A copy is a folder laid out like a user's DATA_DIR (``raw/<system>/<table>.parquet``, optionally ``truth/``
and ``raw/_manifest.json``); it never carries the generator's marker (``_generated_by.json``) unless asked,
so that it is an extract to every tool. ``build_extract`` runs dbt itself (target ``ci`` outside a release
build: the copy's ``extract.duckdb``, with dbt's artefacts and logs inside the copy); ``make_build`` runs
``make build`` as a user would (a release in the copy's ``releases/``, published as ``warehouse.duckdb``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from justice_world.ownership import MARKER_NAME
from repeat_offending.project import PROJECT_ROOT
from repeat_offending.release.layout import Layout

DBT = str(Path(sys.executable).with_name("dbt"))

# The dbt unit tests check the models' logic on fixed rows, whatever the extract: `make test` runs them once, in
# the test world's build before pytest. The builds of changed copies (and the release scenario's) leave them
# out, as dbt advises for builds of data (dbt's DBT_EXCLUDE_RESOURCE_TYPES): they test the data.
WITHOUT_UNIT_TESTS = {"DBT_EXCLUDE_RESOURCE_TYPES": "unit_test"}
# Builds that a test needs only as a step on the way (the release scenario's first release and the builds it
# kills; a release that must fail at source freshness, after the build) leave out the data tests too: about a
# third of a build's time, and those builds are not what the test checks.
WITHOUT_TESTS = {"DBT_EXCLUDE_RESOURCE_TYPES": "unit_test test"}


@dataclass(frozen=True)
class BuildResult:
    """What a build of a copy printed and where its warehouse is."""

    returncode: int
    output: str
    data_dir: Path
    database: Path | None = None
    """The DuckDB file dbt wrote, for a build outside `release build`; else the published warehouse."""

    @property
    def warehouse(self) -> Path:
        return self.database or self.data_dir / "warehouse.duckdb"

    @property
    def release_folder(self) -> Path:
        """The published release's files (research export, reports, dbt's artefacts)."""
        layout = Layout(self.data_dir)
        published = layout.published()
        assert published is not None, f"no release is published in {self.data_dir}"
        return layout.folder(published)

    def query(self, sql: str, parameters: list[object] | None = None) -> list[tuple[object, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, parameters).fetchall()


def copy_extract(world: Path, dest: Path, *, manifest: bool = True, truth: bool = False, marker: bool = False) -> Path:
    """Copy ``world``'s raw files (and, when asked, its manifest, truth and the generator's marker) into
    ``dest``."""
    left_out = [*([] if manifest else ["_manifest.json"]), *([] if marker else [MARKER_NAME])]
    shutil.copytree(world / "raw", dest / "raw", ignore=shutil.ignore_patterns(*left_out))
    if truth and (world / "truth").exists():
        shutil.copytree(world / "truth", dest / "truth", ignore=shutil.ignore_patterns(*left_out))
    return dest


def raw_file(data_dir: Path, system: str, table: str) -> Path:
    return data_dir / "raw" / system / f"{table}.parquet"


def read_raw(data_dir: Path, system: str, table: str) -> pa.Table:
    return pq.read_table(raw_file(data_dir, system, table))


def write_raw(data_dir: Path, system: str, table: str, data: pa.Table) -> None:
    """Replace a raw file of the copy (the test's own input, never a user's)."""
    pq.write_table(data, raw_file(data_dir, system, table))


def checksums(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, by relative path."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def build_extract(data_dir: Path, *args: str, timeout: int = 900) -> BuildResult:
    """``dbt seed`` then ``dbt build`` (target ``ci``) on the copy in ``data_dir``; output captured, never
    raises. Extra ``args`` go to ``dbt build`` (e.g. ``--vars``)."""
    database = data_dir / "extract.duckdb"
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "RELEASE_DATABASE": str(database),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **WITHOUT_UNIT_TESTS,
    }
    common = [
        "--profiles-dir",
        str(PROJECT_ROOT),
        "--project-dir",
        str(PROJECT_ROOT),
        "--target",
        "ci",
        "--target-path",
        str(data_dir / "target"),
        "--log-path",
        str(data_dir / "logs"),
    ]
    output = []
    returncode = 0
    for command in (["seed"], ["build", *args]):
        completed = subprocess.run(
            [DBT, *command, *common],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        output.append(completed.stdout + completed.stderr)
        returncode = completed.returncode
        if returncode:
            break
    log_file = data_dir / "logs" / "dbt.log"
    if log_file.exists():
        output.append(log_file.read_text(errors="replace"))
    return BuildResult(returncode=returncode, output="\n".join(output), data_dir=data_dir, database=database)


def without_make_variables() -> dict[str, str]:
    """This process's environment without the calling make's variables (``make test``'s jobserver and
    overrides), for a `make` the test starts itself."""
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}


def make_build(
    data_dir: Path, *variables: str, target: str = "build", timeout: int = 1800, data_tests: bool = True
) -> BuildResult:
    """``make build`` (or another ``target``) on ``data_dir`` with target ``ci`` and extra make ``variables``
    (``PEOPLE=5000``); output captured (with the dbt logs of its releases), never raises. Make's variables of
    the calling make (``make test``) are not passed on. No unit tests; no data tests either unless asked."""
    env = {**without_make_variables(), **(WITHOUT_UNIT_TESTS if data_tests else WITHOUT_TESTS)}
    completed = subprocess.run(
        [
            "make",
            target,
            f"DATA_DIR={data_dir}",
            "DBT_TARGET=ci",
            *variables,
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    logs = [path.read_text(errors="replace") for path in sorted((data_dir / "releases").glob("*/logs/dbt.log"))]
    return BuildResult(completed.returncode, "\n".join([completed.stdout + completed.stderr, *logs]), data_dir)


def warehouse_copy(world: Path, database: Path) -> Path:
    """A writable copy of a world's published warehouse (a published release is read-only)."""
    shutil.copy2(world / "warehouse.duckdb", database)
    database.chmod(0o644)
    return database


def rebuild_copy(
    world: Path, folder: Path, select: str, variables: str
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """``dbt build --select <select> --vars <variables>`` (target ``ci``, unit tests included) on a copy of a
    built world's warehouse in ``folder``: its database, and dbt's output (artefacts in ``folder/target``).
    Output captured, never raises."""
    database = warehouse_copy(world, folder / "warehouse.duckdb")
    return database, dbt_on_database(world, database, folder, "build", "--select", select, "--vars", variables)


def dbt_on_database(world: Path, database: Path, folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """``dbt <arguments>`` (target ``ci``) with a world's DATA_DIR on a given warehouse database (a copy:
    never a published release), artefacts and logs in ``folder``. Output captured, never raises."""
    return subprocess.run(
        [DBT, *arguments, "--target", "ci", "--target-path", str(folder / "target"),
         "--log-path", str(folder / "logs")],
        cwd=PROJECT_ROOT,
        env={**without_make_variables(), "DATA_DIR": str(world), "RELEASE_DATABASE": str(database),
             "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


PUBLIC_SCHEMAS = ("derived", "publication", "research", "linked")
# Columns that name the build a row comes from (research.extract_metadata's release_id): two builds of the
# same extract differ there by design, so they are left out of the comparison.
BUILD_COLUMNS = ("release_id",)


def public_table_differences(one: Path, other: Path, schemas: tuple[str, ...] = PUBLIC_SCHEMAS) -> dict[str, int]:
    """Every table of ``schemas`` in two DuckDB warehouses, compared with EXCEPT ALL both ways: the rows one
    has and the other has not, by table (only tables that differ). A table in one only counts all its rows.
    Columns naming the build (BUILD_COLUMNS) are left out."""
    differences: dict[str, int] = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{one.as_posix()}' as one (read_only)")
        con.execute(f"attach '{other.as_posix()}' as other (read_only)")
        listed = ", ".join(f"'{schema}'" for schema in schemas)
        tables = {
            catalog: {
                f"{schema}.{name}"
                for schema, name in con.execute(
                    "select table_schema, table_name from information_schema.tables "
                    f"where table_catalog = ? and table_schema in ({listed})",
                    [catalog],
                ).fetchall()
            }
            for catalog in ("one", "other")
        }
        for table in sorted(tables["one"] | tables["other"]):
            if table not in tables["one"] or table not in tables["other"]:
                side = "one" if table in tables["one"] else "other"
                differences[table] = con.execute(f"select count(*) from {side}.{table}").fetchall()[0][0]
                continue
            schema, name = table.split(".")
            columns = ", ".join(
                f'"{column}"'
                for (column,) in con.execute(
                    "select column_name from information_schema.columns where table_catalog = 'one' "
                    "and table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, name],
                ).fetchall()
                if column not in BUILD_COLUMNS
            )
            count = con.execute(
                f"select (select count(*) from (select {columns} from one.{table} "
                f"except all select {columns} from other.{table})) "
                f"+ (select count(*) from (select {columns} from other.{table} "
                f"except all select {columns} from one.{table}))"
            ).fetchall()[0][0]
            if count:
                differences[table] = count
    return differences


def identifying_values_in(text: str, values: Iterable[str]) -> list[str]:
    """The identifying values (names, dates of birth, postcodes, ids) that occur in ``text``."""
    return sorted({value for value in values if value and len(value) >= 4 and value in text})


@cache
def project_code_text() -> str:
    """The text of the dbt project's own files (SQL, YAML, seeds, docs). Its macro tests hold made-up names
    and dates (``SMITH``, ``JOHN``) that every dbt.log repeats, so those say nothing about a leak."""
    parts = []
    for folder in ("models", "macros", "tests", "seeds", "snapshots", "analyses", "docs"):
        for path in sorted((PROJECT_ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in {".sql", ".yml", ".csv", ".md"}:
                parts.append(path.read_text(errors="replace"))
    return "\n".join(parts)


def distinctive_values(values: Iterable[str]) -> set[str]:
    """The identifying values that do not occur in the project's own files: the ones whose presence in a
    build's output can only come from the extract."""
    code = project_code_text()
    return {value for value in values if value and value not in code}

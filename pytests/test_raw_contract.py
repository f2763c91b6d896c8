"""Broken raw extracts: the raw contract check (audit.raw_contract), the invalid-encoding quarantine and the
rule that no log or error names a person.

Each test builds the dbt project on a changed copy of the test world's raw files (``built_world``):

- blocking defects (a truncated file, a missing file, a missing column, a column of the wrong type) must stop
  the build at audit.raw_contract, before any staging view is built, with one finding for each naming the
  file and the column. One copy carries all four, each in its own table: the contract reports every finding
  before it stops the build;
- non-blocking defects (an extra column, an empty table, duplicated rows, invalid UTF-8 in a name) must let
  the build run, with the warning recorded or the rows quarantined, and raw = staged + quarantined. One copy
  carries all four, built once for the module (a full build of the 5,000-person world takes minutes).

Every build must leave the raw files unchanged and print no name, date of birth, postcode or identifier of the
changed rows (captured output and dbt.log).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from extracts import (
    BuildResult,
    build_extract,
    checksums,
    copy_extract,
    distinctive_values,
    identifying_values_in,
    raw_file,
    read_raw,
    write_raw,
)
from justice_world.raw_schema import TABLES, table
from repeat_offending.dbt_plugins.raw_files import (
    BAD_FOOTER,
    EMPTY_FILE,
    NO_FOOTER,
    NOT_A_FILE,
    parquet_file_problem,
)
from repeat_offending_tools import write_sources_yaml

# Identity columns short enough to occur anywhere by chance (codes), left out of the identifying values.
CODE_COLUMNS = frozenset(
    {"sex", "gender", "ethnicity", "ethnicity_code", "self_defined_ethnicity", "officer_ethnicity"}
)


def identifying_values(source_table: str, data: pa.Table, rows: list[int]) -> set[str]:
    """The names, dates of birth, postcodes and identifiers of the given rows (0-based positions), without
    those the project's own files hold (see extracts.distinctive_values)."""
    spec = table(source_table)
    columns = {c.name for c in spec.columns if c.pii and c.name not in CODE_COLUMNS} | {spec.primary_key}
    values: set[str] = set()
    for name in columns:
        column = data.column(name).to_pylist()
        values.update(str(column[row]) for row in rows if column[row] is not None)
    return distinctive_values(values)


def raw_row_count(data_dir: Path, source_table: str) -> int:
    system, name = source_table.split(".")
    return pq.ParquetFile(raw_file(data_dir, system, name)).metadata.num_rows


def staged_rows(world: Path, source_table: str, column: str, count: int, offset: int = 0) -> list[int]:
    """Positions of raw rows the test world staged (so no other quarantine reason applies to them) whose raw
    ``column`` holds at least four characters."""
    system, name = source_table.split(".")
    with duckdb.connect(str(world / "warehouse.duckdb"), read_only=True) as con:
        found = con.execute(
            f"""
            select raw.file_row_number
            from read_parquet(?, file_row_number = true) as raw
            inner join stg_{system}.{name} as staged on raw.file_row_number = staged.source_row_number
            where length(raw.{column}) >= 4
            order by raw.file_row_number
            limit ? offset ?
            """,
            [str(raw_file(world, system, name)), count, offset],
        ).fetchall()
    return [int(row[0]) for row in found]


def warehouse_relations(result: BuildResult, schema_pattern: str) -> list[str]:
    if not result.warehouse.exists():
        return []
    rows = result.query(
        "select table_schema || '.' || table_name from information_schema.tables "
        f"where table_schema like '{schema_pattern}' order by 1"
    )
    return [str(row[0]) for row in rows]


# --- blocking defects: one copy with all four ----------------------------------------------------------


def truncate_pnc_persons(data_dir: Path) -> None:
    path = raw_file(data_dir, "pnc", "persons")
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 2])


def remove_probation_people(data_dir: Path) -> None:
    raw_file(data_dir, "probation", "people").unlink()


def drop_prisoners_birth_date(data_dir: Path) -> None:
    write_raw(data_dir, "prisons", "prisoners", read_raw(data_dir, "prisons", "prisoners").drop(["birth_date"]))


def sentence_length_as_bigint(data_dir: Path) -> None:
    data = read_raw(data_dir, "courts", "case_offences")
    index = data.schema.get_field_index("sentence_length_days")
    text = data.column(index).to_pylist()
    as_integers = pa.array(
        [int(v) if v is not None and v.strip().lstrip("-").isdigit() else None for v in text], pa.int64()
    )
    write_raw(data_dir, "courts", "case_offences", data.set_column(index, "sentence_length_days", as_integers))


# Each blocking defect: the table it breaks, the change, and the finding it must give (check, column).
BLOCKING = {
    "pnc.persons": (truncate_pnc_persons, "unreadable_file", None),
    "probation.people": (remove_probation_people, "missing_file", None),
    "prisons.prisoners": (drop_prisoners_birth_date, "missing_column", "birth_date"),
    "courts.case_offences": (sentence_length_as_bigint, "wrong_type", "sentence_length_days"),
}


@dataclass(frozen=True)
class BrokenBuild:
    result: BuildResult
    unchanged: bool
    identifying: set[str]


@pytest.fixture(scope="module")
def broken(built_world: Path, tmp_path_factory: pytest.TempPathFactory) -> BrokenBuild:
    """A copy of the world's raw files with the four blocking defects (each in its own table), built once: the
    raw contract reports every finding before it stops the build, so one build shows all four. The identifying
    values are those of the first 50 rows of each changed table, read before the change."""
    data_dir = copy_extract(built_world, tmp_path_factory.mktemp("blocked") / "extract")
    identifying: set[str] = set()
    for source_table, (change, _, _) in BLOCKING.items():
        system, name = source_table.split(".")
        identifying |= identifying_values(source_table, read_raw(data_dir, system, name), list(range(50)))
        change(data_dir)
    before = checksums(data_dir / "raw")
    result = build_extract(data_dir)
    return BrokenBuild(result=result, unchanged=checksums(data_dir / "raw") == before, identifying=identifying)


@pytest.mark.parametrize("source_table", list(BLOCKING))
def test_a_blocking_defect_is_an_error_naming_the_file_and_column(broken: BrokenBuild, source_table: str) -> None:
    _, check, column = BLOCKING[source_table]
    result = broken.result
    system, name = source_table.split(".")
    path = raw_file(result.data_dir, system, name)
    where = f", column {column}" if column else ""
    line = f"raw contract ERROR: {check} in {source_table} ({path}){where}: expected "
    assert line in result.output, f"no error line {line!r} in the output"
    findings = result.query(
        "select check_name, column_name, severity, file_path from audit.raw_contract where source_table = ?",
        [source_table],
    )
    assert findings == [(check, column, "error", str(path))], "exactly one finding for the table, naming the file"


def test_blocking_defects_stop_the_build_before_staging(broken: BrokenBuild) -> None:
    result = broken.result
    assert result.returncode != 0, "the build should fail on a blocking contract finding"
    assert f"The raw extract breaks its contract ({len(BLOCKING)} blocking findings;" in result.output
    findings = result.query("select source_table from audit.raw_contract where severity = 'error'")
    assert sorted(row[0] for row in findings) == sorted(BLOCKING), "one finding per defect, and no other"
    assert warehouse_relations(result, "staging_checks") == [], "no validation table may be built"
    assert warehouse_relations(result, "stg_%") == [], "no staged table may be built"
    assert broken.unchanged, "the build changed the raw files"
    leaked = identifying_values_in(result.output, broken.identifying)
    assert not leaked, f"{len(leaked)} identifying values of the changed tables in the output"


def test_a_truncated_file_says_what_is_wrong_with_it(broken: BrokenBuild) -> None:
    assert NO_FOOTER in broken.result.output


def test_a_wrong_type_names_both_types(broken: BrokenBuild) -> None:
    assert "expected varchar, found bigint" in broken.result.output


# --- non-blocking defects: one copy with all four ----------------------------------------------------------


@dataclass(frozen=True)
class DefectiveBuild:
    result: BuildResult
    unchanged: bool
    raw_counts: dict[str, int]
    duplicated: list[int]  # positions of the appended exact copies in probation.people
    duplicated_values: set[str]
    invalid: list[int]  # positions of the prisons.prisoners rows with invalid bytes in last_name
    invalid_values: set[str]
    extra_column_values: set[str]


EXTRA_COLUMN = "nickname"
EMPTY_TABLE = "oasys.assessments"


@pytest.fixture(scope="module")
def defective(built_world: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DefectiveBuild]:
    data_dir = copy_extract(built_world, tmp_path_factory.mktemp("defective"))

    # An extra column in pnc.persons (a copy of the forename: it must not be staged or shown).
    persons = read_raw(data_dir, "pnc", "persons")
    write_raw(data_dir, "pnc", "persons", persons.append_column(EXTRA_COLUMN, persons.column("forename_1")))
    extra_values = identifying_values("pnc.persons", persons, list(range(20)))

    # oasys.assessments with its columns and no rows.
    assessments = read_raw(data_dir, "oasys", "assessments")
    write_raw(data_dir, "oasys", "assessments", assessments.slice(0, 0))

    # Five staged rows of probation.people copied, exactly, at the end of the file.
    people = read_raw(data_dir, "probation", "people")
    originals = staged_rows(built_world, "probation.people", "surname", 5, offset=100)
    write_raw(data_dir, "probation", "people", pa.concat_tables([people, people.take(originals)]))
    duplicated = list(range(people.num_rows, people.num_rows + len(originals)))

    # Invalid UTF-8 bytes at the end of the last name of three staged prisoners (DuckDB's strict reading
    # would print the value, the name included).
    prisoners = read_raw(data_dir, "prisons", "prisoners")
    invalid = staged_rows(built_world, "prisons.prisoners", "last_name", 3, offset=40)
    names = [None if v is None else v.encode() for v in prisoners.column("last_name").to_pylist()]
    for row in invalid:
        names[row] = names[row] + b"\xff\xfe"
    broken_names = pa.array(names, pa.binary()).view(pa.string())
    index = prisoners.schema.get_field_index("last_name")
    write_raw(data_dir, "prisons", "prisoners", prisoners.set_column(index, "last_name", broken_names))

    raw_counts = {spec.source_table: raw_row_count(data_dir, spec.source_table) for spec in TABLES}
    before = checksums(data_dir / "raw")
    result = build_extract(data_dir)
    yield DefectiveBuild(
        result=result,
        unchanged=checksums(data_dir / "raw") == before,
        raw_counts=raw_counts,
        duplicated=duplicated,
        duplicated_values=identifying_values("probation.people", people, originals),
        invalid=invalid,
        invalid_values=identifying_values("prisons.prisoners", prisoners, invalid),
        extra_column_values=extra_values,
    )


def assert_build_ran(defective: DefectiveBuild) -> None:
    result = defective.result
    assert result.returncode == 0, "the build should run on non-blocking defects"
    assert defective.unchanged, "the build changed the raw files"
    reconciliation = result.query(
        "select source_table, raw_rows, staged_rows, quarantined_rows from audit.staging_reconciliation"
    )
    assert {row[0]: row[1] for row in reconciliation} == defective.raw_counts, "raw rows are not the files' rows"
    for source_table, raw_rows, staged, quarantined in reconciliation:
        assert raw_rows == staged + quarantined, f"{source_table}: raw != staged + quarantined"


def assert_no_identifying_value(defective: DefectiveBuild, values: set[str]) -> None:
    leaked = identifying_values_in(defective.result.output, values)
    assert not leaked, f"{len(leaked)} identifying values of the changed rows in the output"


def test_extra_column_warns_and_is_not_staged(defective: DefectiveBuild) -> None:
    assert_build_ran(defective)
    result = defective.result
    path = raw_file(result.data_dir, "pnc", "persons")
    findings = result.query(
        "select check_name, column_name, severity, file_path from audit.raw_contract where source_table = 'pnc.persons'"
    )
    assert findings == [("extra_column", EXTRA_COLUMN, "warn", str(path))]
    assert f"raw contract WARN: extra_column in pnc.persons ({path}), column {EXTRA_COLUMN}: " in result.output
    warned = result.query(
        "select status, failures from audit.test_results where test_name = 'raw_contract_has_no_warnings'"
    )
    assert warned == [("warn", 2)], "the warn test counts the extra column and the empty table"
    staged_columns = {row[0] for row in result.query("describe stg_pnc.persons")}
    assert EXTRA_COLUMN not in staged_columns
    assert_no_identifying_value(defective, defective.extra_column_values)


def test_empty_table_warns_and_the_build_runs(defective: DefectiveBuild) -> None:
    assert_build_ran(defective)
    result = defective.result
    findings = result.query(
        f"select check_name, column_name, severity from audit.raw_contract where source_table = '{EMPTY_TABLE}'"
    )
    assert findings == [("empty_table", None, "warn")]
    assert f"raw contract WARN: empty_table in {EMPTY_TABLE} (" in result.output
    assert result.query(
        f"select raw_rows, staged_rows, quarantined_rows from audit.staging_reconciliation "
        f"where source_table = '{EMPTY_TABLE}'"
    ) == [(0, 0, 0)]
    assert result.query("select count(*) from stg_oasys.assessments") == [(0,)]


def test_duplicated_rows_are_quarantined(defective: DefectiveBuild) -> None:
    assert_build_ran(defective)
    quarantined = defective.result.query(
        "select source_row_number, reason from audit.quarantine where source_table = 'probation.people' "
        f"and source_row_number >= {min(defective.duplicated)} order by 1"
    )
    assert quarantined == [(row, "duplicate_row") for row in defective.duplicated]
    assert_no_identifying_value(defective, defective.duplicated_values)


def test_invalid_utf8_is_quarantined_and_never_printed(defective: DefectiveBuild) -> None:
    assert_build_ran(defective)
    quarantined = defective.result.query(
        "select source_table, source_row_number, reason_column from audit.quarantine "
        "where reason = 'invalid_encoding' order by 1, 2"
    )
    assert quarantined == [("prisons.prisoners", row, "last_name") for row in defective.invalid]
    assert "not valid UTF8" not in defective.result.output
    assert_no_identifying_value(defective, defective.invalid_values)


# --- without a build -----------------------------------------------------------------------------------


def test_parquet_file_problem(tmp_path: Path) -> None:
    pq.write_table(pa.table({"surname": ["A", "B"]}), tmp_path / "written.parquet")
    content = (tmp_path / "written.parquet").read_bytes()
    cases = {
        "sound.parquet": (content, None),
        "empty.parquet": (b"", EMPTY_FILE),
        "truncated.parquet": (content[: len(content) // 2], NO_FOOTER),
        "text.parquet": (b"surname,forename\n" * 10, NO_FOOTER),
        # the magic bytes at both ends, a footer length pointing at garbage
        "corrupt.parquet": (b"PAR1" + b"\x00" * 64 + (40).to_bytes(4, "little") + b"PAR1", BAD_FOOTER),
    }
    for name, (data, expected) in cases.items():
        (tmp_path / name).write_bytes(data)
        assert parquet_file_problem(str(tmp_path / name)) == expected, name
    assert parquet_file_problem(str(tmp_path / "absent.parquet")) == NOT_A_FILE
    assert parquet_file_problem(str(tmp_path)) == NOT_A_FILE
    assert parquet_file_problem(None) is None


def test_sources_yaml_matches_the_raw_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert write_sources_yaml.main(["--check"]) == 0, capsys.readouterr().err

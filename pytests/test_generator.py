"""The synthetic world generator (`justice_world`): determinism, the raw contract, identifier-noise
and bad-row rates, the injected defects, no truth leakage into raw/, successive extracts and the command line.

Every world here is small (1,000-20,000 people) and generated once per session into pytest's temporary
folder, in-process (``writer.generate``), with two workers; the determinism worlds are simulated in chunks of
5,000 people instead of 100,000 (``world_helpers.chunk_size``) so that workers really share the work.
Speed and memory are measured by ``benchmark-generator`` (``justice_world.benchmark``), never here. The
measured figures are printed (``pytest -s`` or ``-rP`` shows them).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from justice_world.defects import DATE_ORDER
from justice_world.identity import NOISE_OPS
from justice_world.ownership import MARKER_NAME
from justice_world.pnc import is_valid_pnc_id
from justice_world.raw_schema import DATE_FORMATS, DEFECT_ACTIONS, SYSTEMS, TABLES, Table, table
from world_helpers import (
    PROJECT_SEEDS_DIR,
    TRUTH_FILES,
    World,
    chunk_size,
    file_digests,
    generate_world,
    manifest_from_disk,
    parse_system_date,
    person_tables,
    seed_values,
    spearman,
)

GENERATE = str(Path(sys.executable).with_name("generate"))
SEEDS_ARGS = ("--seeds-dir", str(PROJECT_SEEDS_DIR))

# The main test world: enough people for every defect type and stable rates.
PEOPLE = 20_000
NOISE_RATE = 0.2
BAD_ROW_RATE = 0.02
MAIN = {"people": PEOPLE, "seed": 1, "identifier_noise_rate": NOISE_RATE, "bad_row_rate": BAD_ROW_RATE}

# Determinism: a world of three chunks, so that one and two worker processes really differ in how it is made.
MULTI_CHUNK = {"people": 12_000, "identifier_noise_rate": 0.1, "bad_row_rate": 0.01}
MULTI_CHUNK_SIZE = 5_000

# Successive extracts of one world (end_year fixed).
SUCCESSIVE = {"people": 20_000, "seed": 3, "end_year": 2025, "identifier_noise_rate": 0.1, "bad_row_rate": 0.02}
EARLIER, LATER = dt.date(2023, 12, 31), dt.date(2025, 6, 30)

DUPLICATES = ("duplicate_row", "duplicate_key")
AUDIT = ("last_updated_at", "extracted_at")

# Which reference seed (seeds/reference) holds the valid values of each coded raw column.
REFERENCE_COLUMNS: dict[str, tuple[str, str]] = {
    "offence_code": ("reference__offence_codes.csv", "offence_code"),
    "main_offence_code": ("reference__offence_codes.csv", "offence_code"),
    "disposal_code": ("reference__disposal_types.csv", "disposal_code"),
    "outcome_code": ("reference__outcome_types.csv", "outcome_code"),
    "court_code": ("reference__courts.csv", "court_code"),
    "force_code": ("reference__police_forces.csv", "police_force_code"),
    "owning_force_code": ("reference__police_forces.csv", "police_force_code"),
    "establishment_code": ("reference__prison_establishments.csv", "establishment_code"),
    "reception_reason": ("reference__custody_movement_reasons.csv", "reason_code"),
    "release_reason": ("reference__custody_movement_reasons.csv", "reason_code"),
    "event_type": ("reference__probation_event_types.csv", "source_value"),
}

# Raw tables that hold no person details, and how their rows reach a person-identifying table.
LINKS: dict[str, tuple[str, str, str]] = {
    "pnc.offence_outcomes": ("pnc_id", "pnc.persons", "pnc_id"),
    "courts.cases": ("case_id", "courts.defendants", "case_id"),
    "courts.case_offences": ("defendant_id", "courts.defendants", "defendant_id"),
    "prisons.custodial_spells": ("prison_number", "prisons.prisoners", "prison_number"),
    "probation.events": ("crn", "probation.people", "crn"),
}


# ----------------------------------------------------------------------------------------------- worlds
@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """20,000 people, identifier noise 0.2, bad rows 0.02."""
    return generate_world(tmp_path_factory.mktemp("world"), **MAIN)


@pytest.fixture(scope="session")
def clean_twin(tmp_path_factory: pytest.TempPathFactory) -> World:
    """The main world without bad rows: row for row what the main world's rows were before the defects."""
    return generate_world(tmp_path_factory.mktemp("clean_twin"), **{**MAIN, "bad_row_rate": 0.0})


@pytest.fixture(scope="session")
def quiet_twin(tmp_path_factory: pytest.TempPathFactory) -> World:
    """The main world without identifier noise and without bad rows."""
    return generate_world(
        tmp_path_factory.mktemp("quiet_twin"), **{**MAIN, "identifier_noise_rate": 0.0, "bad_row_rate": 0.0}
    )


@pytest.fixture(scope="session")
def multi_chunk_worlds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, World]:
    """Three-chunk worlds: seed 7 made by one and by two worker processes, and seed 8."""
    worlds = {}
    with chunk_size(MULTI_CHUNK_SIZE):
        for name, seed, workers in (("seed7_workers1", 7, 1), ("seed7_workers2", 7, 2), ("seed8", 8, 2)):
            made = generate_world(tmp_path_factory.mktemp(name), seed=seed, workers=workers, **MULTI_CHUNK)
            assert made.config.n_chunks == 3, "the chunk size patch did not take"
            worlds[name] = made
    return worlds


@pytest.fixture(scope="session")
def extracts(tmp_path_factory: pytest.TempPathFactory) -> tuple[World, World]:
    """One world extracted on 2023-12-31 and again on 2025-06-30."""
    earlier = generate_world(tmp_path_factory.mktemp("extract_2023"), data_as_of=EARLIER, **SUCCESSIVE)
    later = generate_world(tmp_path_factory.mktemp("extract_2025"), data_as_of=LATER, **SUCCESSIVE)
    return earlier, later


@pytest.fixture(scope="session")
def reference_codes() -> dict[str, set[str]]:
    return {column: seed_values(*source) for column, source in REFERENCE_COLUMNS.items()}


def _rows(sql: str, params: list[object] | None = None) -> list[tuple]:
    con = duckdb.connect()
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _one(sql: str, params: list[object] | None = None) -> object:
    return _rows(sql, params)[0][0]


def _strings(t: pa.Table, column: str) -> np.ndarray:
    return t.column(column).to_numpy(zero_copy_only=False).astype(object)


def _defect_rows_sql(w: World, spec: Table, types: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{t}'" for t in types)
    return (
        f"select source_row_number from {w.sql_truth('defects')} "
        f"where source_table = '{spec.source_table}' and defect_type in ({quoted})"
    )


# ----------------------------------------------------------------------------------------------- determinism
def test_same_parameters_give_byte_identical_files(multi_chunk_worlds: dict[str, World]) -> None:
    one, two = multi_chunk_worlds["seed7_workers1"], multi_chunk_worlds["seed7_workers2"]
    digests_one, digests_two = file_digests(one.data_dir), file_digests(two.data_dir)
    expected = {f"raw/{t.system}/{t.name}.parquet" for t in TABLES} | {"raw/_manifest.json", f"raw/{MARKER_NAME}"}
    expected |= {f"truth/{name}.parquet" for name in TRUTH_FILES} | {"truth/_manifest.json", f"truth/{MARKER_NAME}"}
    assert set(digests_one) == expected
    different = sorted(path for path in digests_one if digests_one[path] != digests_two.get(path))
    assert not different, f"one and two workers wrote different files: {different}"


def test_different_seeds_give_different_worlds(multi_chunk_worlds: dict[str, World]) -> None:
    seven, eight = multi_chunk_worlds["seed7_workers2"], multi_chunk_worlds["seed8"]
    digests_seven, digests_eight = file_digests(seven.data_dir), file_digests(eight.data_dir)
    same = sorted(
        path
        for path in digests_seven
        if digests_seven[path] == digests_eight[path] and not path.endswith(MARKER_NAME)  # the same by design
    )
    assert not same, f"seeds 7 and 8 wrote identical files: {same}"
    spec = table("pnc.persons")
    ids_seven, ids_eight = set(_strings(seven.raw(spec), "pnc_id")), set(_strings(eight.raw(spec), "pnc_id"))
    overlap = len(ids_seven & ids_eight) / len(ids_eight)
    print(f"PNC ids of seed 8 also in seed 7: {overlap:.4%}")
    assert overlap < 0.01
    dob_seven = seven.truth("people").column("date_of_birth").to_numpy(zero_copy_only=False)
    dob_eight = eight.truth("people").column("date_of_birth").to_numpy(zero_copy_only=False)
    n = min(len(dob_seven), len(dob_eight))
    assert (dob_seven[:n] == dob_eight[:n]).mean() < 0.05


# ----------------------------------------------------------------------------------------------- schema
def test_raw_folder_holds_the_contract_tables_and_the_manifest(world: World) -> None:
    raw_dir = world.data_dir / "raw"
    found = {p.relative_to(raw_dir).as_posix() for p in raw_dir.rglob("*") if p.is_file()}
    assert found == {f"{t.system}/{t.name}.parquet" for t in TABLES} | {"_manifest.json", MARKER_NAME}
    assert {p.name for p in (world.data_dir / "truth").iterdir()} == {f"{name}.parquet" for name in TRUTH_FILES} | {
        "_manifest.json",
        MARKER_NAME,
    }
    assert not (world.data_dir / ".chunks").exists(), "the generator left its spill folder behind"


@pytest.mark.parametrize("spec", TABLES, ids=lambda t: t.source_table)
def test_raw_table_has_exactly_the_contract_columns_as_text(world: World, spec: Table) -> None:
    schema = pq.read_schema(world.raw_path(spec))
    assert schema.names == spec.column_names
    not_text = {f.name: str(f.type) for f in schema if f.type != pa.string()}
    assert not not_text, f"columns that are not Arrow strings: {not_text}"
    assert spec.system in SYSTEMS


def test_manifest_matches_the_files_and_the_parameters(world: World) -> None:
    manifest = manifest_from_disk(world)
    for key, value in world.config.manifest_parameters().items():
        assert manifest[key] == value, key
    assert manifest["tables"] == {t.source_table: f"raw/{t.system}/{t.name}.parquet" for t in TABLES}
    for spec in TABLES:
        assert manifest["row_counts"][spec.source_table] == pq.ParquetFile(world.raw_path(spec)).metadata.num_rows
    truth_counts = manifest.get("truth_row_counts")  # belongs outside raw/: see test_manifest_carries_no_ground_truth
    for name in TRUTH_FILES if truth_counts else ():
        assert truth_counts[name] == pq.ParquetFile(world.truth_path(name)).metadata.num_rows


def _is_id(t: pa.DataType) -> bool:
    return pa.types.is_integer(t) or pa.types.is_string(t)


TRUTH_COLUMNS: dict[str, dict[str, Callable[[pa.DataType], bool]]] = {
    "person_records": {
        "source_system": pa.types.is_string,
        "source_table": pa.types.is_string,
        "source_record_id": pa.types.is_string,
        "true_person_id": _is_id,
        "identifier_noise": pa.types.is_string,
        "has_identifier_noise": pa.types.is_boolean,
        "is_duplicate_id": pa.types.is_boolean,
    },
    "people": {
        "true_person_id": _is_id,
        "date_of_birth": pa.types.is_date32,
        "sex": pa.types.is_string,
        "ethnicity_group": pa.types.is_string,
        "region": pa.types.is_string,
        "deprivation_decile": pa.types.is_integer,
        "date_of_death": pa.types.is_date32,
    },
    "proven_offences": {
        "true_person_id": _is_id,
        "offence_code": pa.types.is_string,
        "offence_date": pa.types.is_date32,
        "proven_date": pa.types.is_date32,
        "outcome_type": pa.types.is_string,
        "is_recordable": pa.types.is_boolean,
        "is_breach": pa.types.is_boolean,
    },
    "index_events": {
        "true_person_id": _is_id,
        "event_type": pa.types.is_string,
        "event_date": pa.types.is_date32,
        "disposal_type": pa.types.is_string,
        "principal_offence_code": pa.types.is_string,
        "sentence_length_days": pa.types.is_integer,
    },
    "defects": {
        "source_table": pa.types.is_string,
        "source_row_number": pa.types.is_integer,
        "defect_type": pa.types.is_string,
        "expected_action": pa.types.is_string,
        "column_name": pa.types.is_string,
    },
}


@pytest.mark.parametrize("name", TRUTH_FILES)
def test_truth_file_has_the_documented_columns_and_types(world: World, name: str) -> None:
    schema = pq.read_schema(world.truth_path(name))
    for column, is_type in TRUTH_COLUMNS[name].items():
        assert column in schema.names, f"{name} lacks {column}"
        assert is_type(schema.field(column).type), f"{name}.{column} is {schema.field(column).type}"


def test_truth_is_internally_consistent(world: World) -> None:
    as_of = world.config.data_as_of
    people = world.sql_truth("people")
    assert _one(f"select count(*) - count(distinct true_person_id) from {people}") == 0
    for name in ("person_records", "proven_offences", "index_events"):
        orphans = _one(
            f"select count(*) from {world.sql_truth(name)} "
            f"where true_person_id not in (select true_person_id from {people})"
        )
        assert orphans == 0, f"{name} names people missing from people.parquet"
    records = world.sql_truth("person_records")
    assert _one(f"select count(*) - count(distinct (source_table, source_record_id)) from {records}") == 0
    assert {r[0] for r in _rows(f"select distinct source_table from {records}")} == {
        t.source_table for t in person_tables()
    }
    assert _one(f"select count(*) from {records} where source_system <> split_part(source_table, '.', 1)") == 0
    assert _one(f"select count(*) from {people} where sex not in ('M', 'F') or date_of_death > ?", [as_of]) == 0
    offences = world.sql_truth("proven_offences")
    assert {r[0] for r in _rows(f"select distinct outcome_type from {offences}")} == {"conviction", "caution"}
    assert _one(f"select max(proven_date) from {offences}") <= as_of
    events = world.sql_truth("index_events")
    assert {r[0] for r in _rows(f"select distinct event_type from {events}")} == {
        "custody_release",
        "court_order",
        "caution",
    }
    assert _one(f"select max(event_date) from {events}") <= as_of


def test_true_proven_offences_are_valid_by_the_methodology(world: World) -> None:
    """METHODOLOGY 1: an offence proven before it was committed, or committed before the 10th birthday, is a
    data error; the true history must have none (raw data errors are listed in defects.parquet instead)."""
    offences, people = world.sql_truth("proven_offences"), world.sql_truth("people")
    after_proof = _one(f"select count(*) from {offences} where offence_date > proven_date")
    too_young = _one(
        f"select count(*) from {offences} join {people} using (true_person_id) "
        "where offence_date < date_of_birth + interval 10 year"
    )
    total = _one(f"select count(*) from {offences}")
    print(f"true proven offences: {total}; committed after proven: {after_proof}; before age 10: {too_young}")
    assert after_proof == 0
    assert too_young == 0


# ----------------------------------------------------------------------------------------------- keys
@pytest.mark.parametrize("spec", TABLES, ids=lambda t: t.source_table)
def test_primary_key_is_unique_and_present_apart_from_listed_defects(world: World, spec: Table) -> None:
    pk = spec.primary_key
    excused = _defect_rows_sql(world, spec, (*DUPLICATES, "missing_required"))
    blank, repeated = _rows(
        f"""
        select
            count(*) filter (where nullif(trim({pk}), '') is null),
            count({pk}) filter (where nullif(trim({pk}), '') is not null) - count(distinct nullif(trim({pk}), ''))
        from {world.sql_raw(spec)}
        where file_row_number not in ({excused})
        """
    )[0]
    assert blank == 0, f"{spec.source_table}: {blank} rows without {pk} not listed as missing_required"
    assert repeated == 0, f"{spec.source_table}: {repeated} repeated {pk} values not listed as duplicates"
    # Not vacuous: over all rows, the repeats are exactly the listed duplicates.
    all_repeats = _one(
        f"select count({pk}) - count(distinct {pk}) from {world.sql_raw(spec)} where nullif(trim({pk}), '') is not null"
    )
    listed = _one(f"select count(*) from ({_defect_rows_sql(world, spec, DUPLICATES)})")
    assert all_repeats == listed


def test_pnc_ids_are_valid_unless_the_truth_says_malformed(world: World) -> None:
    """PNC ids carry a check character; only records whose truth lists ``pnc_id_malformed`` break it."""
    persons = _strings(world.raw(table("pnc.persons")), "pnc_id")
    present = [v for v in persons if v is not None and v.strip()]
    assert all(is_valid_pnc_id(v) for v in present)
    records = world.truth("person_records")
    malformed = {
        (s, r)
        for s, r, noise in zip(
            _strings(records, "source_table"),
            _strings(records, "source_record_id"),
            _strings(records, "identifier_noise"),
            strict=True,
        )
        if "pnc_id_malformed" in noise
    }
    for source_table in ("courts.defendants", "prisons.prisoners", "probation.people"):
        spec = table(source_table)
        raw = world.raw(spec)
        defects = world.defects(spec)
        damaged = set(defects.column("source_row_number").to_pylist())
        bad = [
            (i, key, value)
            for i, (key, value) in enumerate(zip(_strings(raw, spec.primary_key), _strings(raw, "pnc_id"), strict=True))
            if value is not None and not is_valid_pnc_id(value) and i not in damaged
        ]
        unexplained = [b for b in bad if (source_table, b[1]) not in malformed]
        print(f"{source_table}: {len(bad)} invalid PNC ids, all listed as pnc_id_malformed: {not unexplained}")
        assert bad, f"{source_table}: no malformed PNC ids at noise rate {NOISE_RATE}"
        assert not unexplained, unexplained[:5]


# ----------------------------------------------------------------------------------------------- identifier noise
def test_identifier_noise_rate_matches_the_parameter(world: World) -> None:
    records = world.truth("person_records")
    noisy = records.column("has_identifier_noise").to_numpy(zero_copy_only=False)
    share = float(noisy.mean())
    tables = _strings(records, "source_table")
    for source_table in sorted(set(tables)):
        print(f"{source_table:22s} identifier noise {noisy[tables == source_table].mean():.4f}")
    print(f"all person records     identifier noise {share:.4f} (parameter {NOISE_RATE})")
    assert abs(share - NOISE_RATE) <= 0.015
    for source_table in set(tables):
        assert abs(noisy[tables == source_table].mean() - NOISE_RATE) <= 0.03, source_table
    labels = _strings(records, "identifier_noise")
    assert np.array_equal(noisy, labels != "")
    operations = Counter(op for label in labels if label for op in label.split(","))
    assert set(operations) <= set(NOISE_OPS)
    assert set(operations) == set(NOISE_OPS), f"operations never applied: {set(NOISE_OPS) - set(operations)}"
    pnc_ops = {"pnc_id_malformed", "pnc_id_of_another_person"}
    own_ids = labels[tables == "pnc.persons"]
    assert not any(op in label for label in own_ids for op in pnc_ops), "the PNC's own ids cannot be noisy"


def test_no_identifier_noise_at_rate_zero(quiet_twin: World) -> None:
    records = quiet_twin.truth("person_records")
    assert records.num_rows > 0
    assert not records.column("has_identifier_noise").to_numpy(zero_copy_only=False).any()
    assert set(_strings(records, "identifier_noise")) == {""}


@pytest.mark.parametrize("spec", person_tables(), ids=lambda t: t.source_table)
def test_listed_identifier_noise_is_the_only_difference_from_a_noise_free_world(
    clean_twin: World, quiet_twin: World, spec: Table
) -> None:
    """Same world with and without noise (both without bad rows): a record differs only when the truth says
    it is noisy. A few noisy records come out unchanged: a typo that swaps two equal letters, a PNC id made
    malformed where the system then leaves it blank, and (3% of OASys records, as OASys has no middle-name
    column) ``middle_name_dropped``."""
    noisy_raw, quiet_raw = clean_twin.raw(spec), quiet_twin.raw(spec)
    assert noisy_raw.num_rows == quiet_raw.num_rows
    assert noisy_raw.column(spec.primary_key).equals(quiet_raw.column(spec.primary_key))
    differs = np.zeros(noisy_raw.num_rows, dtype=bool)
    for column in spec.column_names:
        a, b = noisy_raw.column(column), quiet_raw.column(column)
        same = pc.or_kleene(pc.fill_null(pc.equal(a, b), False), pc.and_(pc.is_null(a), pc.is_null(b)))
        differs |= ~same.to_numpy(zero_copy_only=False)
    records = clean_twin.truth("person_records")
    mine = _strings(records, "source_table") == spec.source_table
    flag = dict(
        zip(
            _strings(records, "source_record_id")[mine],
            records.column("has_identifier_noise").to_numpy(zero_copy_only=False)[mine],
            strict=True,
        )
    )
    noisy = np.array([flag[k] for k in _strings(noisy_raw, spec.primary_key)])
    unchanged_noisy = (noisy & ~differs).sum() / max(noisy.sum(), 1)
    print(f"{spec.source_table}: {noisy.sum()} noisy records, {unchanged_noisy:.2%} of them unchanged")
    assert not (differs & ~noisy).any(), "records differ from the noise-free world without listed noise"
    assert unchanged_noisy < 0.04


# ----------------------------------------------------------------------------------------------- bad rows
def test_bad_row_rate_matches_the_parameter(world: World) -> None:
    counts = world.manifest["row_counts"]
    assert isinstance(counts, dict)
    total = sum(counts.values())
    defects = world.truth("defects")
    per_table = Counter(_strings(defects, "source_table"))
    for source_table, rows in sorted(counts.items()):
        print(f"{source_table:26s} {rows:8d} rows, bad-row share {per_table[source_table] / rows:.4f}")
    share = defects.num_rows / total
    print(f"all raw rows {total}, defects {defects.num_rows}, share {share:.4f} (parameter {BAD_ROW_RATE})")
    assert abs(share - BAD_ROW_RATE) <= 0.15 * BAD_ROW_RATE
    for source_table, rows in counts.items():
        assert abs(per_table[source_table] / rows - BAD_ROW_RATE) <= 0.35 * BAD_ROW_RATE, source_table


def test_no_bad_rows_at_rate_zero(clean_twin: World) -> None:
    assert clean_twin.truth("defects").num_rows == 0


def test_every_defect_type_is_present_with_its_expected_action(world: World) -> None:
    defects = world.truth("defects")
    types = _strings(defects, "defect_type")
    actions = _strings(defects, "expected_action")
    found = Counter(types)
    print(dict(sorted(found.items())))
    assert set(found) == set(DEFECT_ACTIONS), f"missing: {set(DEFECT_ACTIONS) - set(found)}"
    wrong = {(t, a) for t, a in zip(types, actions, strict=True) if DEFECT_ACTIONS[t] != a}
    assert not wrong
    assert set(actions) == {"clean", "quarantine"}


def test_defects_point_inside_their_files_at_named_columns(world: World) -> None:
    defects = world.truth("defects")
    assert (
        _one(f"select count(*) - count(distinct (source_table, source_row_number)) from {world.sql_truth('defects')}")
        == 0
    )
    for spec in TABLES:
        mine = world.defects(spec)
        rows = mine.column("source_row_number").to_numpy()
        n = world.manifest["row_counts"][spec.source_table]  # type: ignore[index]
        assert ((rows >= 0) & (rows < n)).all(), spec.source_table
        for kind, column in zip(_strings(mine, "defect_type"), _strings(mine, "column_name"), strict=True):
            if kind in DUPLICATES:
                assert not column, (spec.source_table, kind, column)
            else:
                assert column in spec.column_names, (spec.source_table, kind, column)
    assert defects.num_rows > 0


@dataclass
class Aligned:
    """A raw table of the main world next to the same table of its defect-free twin.

    Inserted duplicates aside, the main world's rows are the twin's rows in the same order, so each twin row
    has a raw position and can be compared column by column."""

    spec: Table
    raw: pa.Table
    twin: pa.Table
    position: np.ndarray  # raw row number of each twin row
    defect: np.ndarray  # per raw row: defect type or None
    column: np.ndarray  # per raw row: the defect's column or None
    differs: dict[str, np.ndarray]  # per column, per twin row: the raw value differs from the twin's


@pytest.fixture(scope="session")
def aligned(world: World, clean_twin: World) -> dict[str, Aligned]:
    out = {}
    for spec in TABLES:
        raw, twin = world.raw(spec), clean_twin.raw(spec)
        defects = world.defects(spec)
        defect = np.full(raw.num_rows, None, dtype=object)
        column = np.full(raw.num_rows, None, dtype=object)
        rows = defects.column("source_row_number").to_numpy()
        defect[rows] = _strings(defects, "defect_type")
        column[rows] = _strings(defects, "column_name")
        position = np.flatnonzero(~np.isin(defect, DUPLICATES))
        kept = raw.take(pa.array(position))
        assert kept.num_rows == twin.num_rows, spec.source_table
        differs = {}
        for name in spec.column_names:
            a, b = kept.column(name), twin.column(name)
            same = pc.or_kleene(pc.fill_null(pc.equal(a, b), False), pc.and_(pc.is_null(a), pc.is_null(b)))
            differs[name] = ~same.to_numpy(zero_copy_only=False)
        out[spec.source_table] = Aligned(spec, raw, twin, position, defect, column, differs)
    return out


def test_rows_without_a_listed_defect_are_untouched(aligned: dict[str, Aligned]) -> None:
    for source_table, a in aligned.items():
        clean = a.defect[a.position] == None  # noqa: E711
        touched = {name: int((d & clean).sum()) for name, d in a.differs.items() if (d & clean).any()}
        assert not touched, f"{source_table}: rows changed by bad-row injection but not listed: {touched}"


@pytest.mark.parametrize(
    "kind",
    [k for k in DEFECT_ACTIONS if k not in DUPLICATES],
)
def test_each_listed_defect_changes_its_named_column_and_nothing_else(aligned: dict[str, Aligned], kind: str) -> None:
    no_op, elsewhere, total = Counter(), Counter(), 0
    for source_table, a in aligned.items():
        for twin_row in np.flatnonzero(a.defect[a.position] == kind):
            total += 1
            named = a.column[a.position[twin_row]]
            changed = [name for name, d in a.differs.items() if d[twin_row]]
            if not changed:
                no_op[(source_table, named)] += 1
            elif changed != [named]:
                elsewhere[(source_table, named, tuple(changed))] += 1
    print(f"{kind}: {total} defects, {sum(no_op.values())} leave the row unchanged: {dict(no_op)}")
    assert total > 0
    assert not elsewhere, f"defects that change other columns: {dict(elsewhere)}"
    assert not no_op, f"defects listed but absent from the raw row: {dict(no_op)}"


NUMBER = re.compile(r"(-?\d+)([DMY]?)")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DAYS_PER_UNIT = {"": 1, "D": 1, "M": 30, "Y": 365}


def _shows(
    kind: str, spec: Table, column: str, value: str | None, twin: str | None, row: dict, as_of: dt.date,
    codes: dict[str, set[str]],
) -> bool:  # fmt: skip
    """Whether a raw value really shows the defect ``kind`` (``twin`` is the value before the defect)."""
    col = next(c for c in spec.columns if c.name == column)
    system = spec.system
    if kind == "missing_required":
        return col.required and (value is None or not value.strip())
    if value is None:
        return False
    if kind == "unparseable_date":
        return col.kind == "date" and bool(value.strip()) and parse_system_date(value, system) is None
    if kind == "impossible_date":
        day = parse_system_date(value, system)
        return col.kind == "date" and day is not None and (day > as_of or day.year < 1900)
    if kind == "date_order":
        first, second = DATE_ORDER[spec.source_table]
        before, after = parse_system_date(row[first], system), parse_system_date(value, system)
        return column == second and before is not None and after is not None and after < before
    if kind == "unknown_code":
        return column in codes and value not in codes[column] and twin in codes[column]
    if kind == "invalid_number":
        return NUMBER.fullmatch(value) is None
    if kind == "implausible_value":
        match = NUMBER.fullmatch(value)
        if match is None:
            return False
        number = int(match[1])
        if column.endswith("_need"):
            return number not in (0, 1, 2)
        days = number * DAYS_PER_UNIT[match[2]]
        return days < 0 or days > 100 * 365
    if kind == "code_whitespace_case":
        return col.kind == "code" and twin is not None and value != twin and value.strip().upper() == twin.upper()
    if kind == "date_alternative_format":
        return (
            DATE_FORMATS[system] != "%Y-%m-%d"
            and ISO_DATE.fullmatch(value) is not None
            and dt.date.fromisoformat(value) == parse_system_date(twin, system)
        )
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", list(DEFECT_ACTIONS))
def test_raw_rows_show_their_listed_defect(
    aligned: dict[str, Aligned], world: World, reference_codes: dict[str, set[str]], kind: str
) -> None:
    """Each listed defect is visible in its raw row: e.g. ``missing_required`` a blank required column,
    ``duplicate_row`` a copy of the row before it, ``unknown_code`` a code absent from the reference seed,
    ``date_alternative_format`` an ISO date in a system that writes DD/MM/YYYY or DD-MON-YYYY. (Defects that
    left their row unchanged are counted by the test above, not here.)"""
    checked, failures = 0, []
    for source_table, a in aligned.items():
        spec = a.spec
        positions = np.flatnonzero(a.defect == kind)
        if kind in DUPLICATES:
            for pos in positions.tolist():
                checked += 1
                row = a.raw.slice(pos, 1).to_pylist()[0]
                if kind == "duplicate_row":
                    ok = pos > 0 and row == a.raw.slice(pos - 1, 1).to_pylist()[0]
                else:  # an older version just before the current one: same key, older, different content
                    current = a.raw.slice(pos + 1, 1).to_pylist()[0] if pos + 1 < a.raw.num_rows else {}
                    ok = (
                        current.get(spec.primary_key) == row[spec.primary_key]
                        and row["last_updated_at"] < current["last_updated_at"]
                        and any(row[c] != current[c] for c in spec.column_names if c not in AUDIT)
                    )
                if not ok:
                    failures.append((source_table, pos, row))
            continue
        twin_rows = np.flatnonzero(a.defect[a.position] == kind)
        for twin_row in twin_rows.tolist():
            pos = int(a.position[twin_row])
            column = a.column[pos]
            if not a.differs[column][twin_row]:
                continue  # unchanged: reported by test_each_listed_defect_changes_its_named_column...
            checked += 1
            row = a.raw.slice(pos, 1).to_pylist()[0]
            twin_value = a.twin.column(column)[twin_row].as_py()
            if not _shows(kind, spec, column, row[column], twin_value, row, world.config.data_as_of, reference_codes):
                failures.append((source_table, pos, column, row[column], twin_value))
    print(f"{kind}: {checked} defects checked, {len(failures)} not visible")
    assert checked > 0
    assert not failures, failures[:10]


def test_codes_outside_listed_defects_are_in_the_reference_seeds(
    world: World, reference_codes: dict[str, set[str]]
) -> None:
    """What staging maps through the reference seeds: every code in a row without a defect is known."""
    checked = 0
    for spec in TABLES:
        damaged = world.defects(spec).column("source_row_number").to_numpy()
        raw = world.raw(spec)
        keep = np.ones(raw.num_rows, dtype=bool)
        keep[damaged] = False
        for column in spec.column_names:
            if column not in REFERENCE_COLUMNS:
                continue
            values = _strings(raw, column)[keep]
            unknown = {v for v in values if v is not None} - reference_codes[column]
            checked += 1
            assert not unknown, f"{spec.source_table}.{column}: {sorted(unknown)[:10]}"
    assert checked >= 10


# ----------------------------------------------------------------------------------------------- truth leakage
def test_raw_column_names_say_nothing_about_truth() -> None:
    for spec in TABLES:
        for column in spec.column_names:
            assert not re.search(r"true|truth|_person\b|^_", column), f"{spec.source_table}.{column}"


def test_manifest_carries_no_ground_truth(world: World) -> None:
    manifest = manifest_from_disk(world)
    allowed = {"generator", "generator_version", "row_counts", "tables", *world.config.manifest_parameters()}
    assert set(manifest) <= allowed, f"unexpected manifest entries: {set(manifest) - allowed}"


def _linked_sql(w: World, spec: Table) -> str:
    """The raw rows of a table with the true person behind each (via a person-identifying table if needed)."""
    records = w.sql_truth("person_records")
    if spec.identifies_person:
        return (
            f"select r.*, p.true_person_id from {w.sql_raw(spec)} as r join {records} as p "
            f"on p.source_table = '{spec.source_table}' and p.source_record_id = r.{spec.primary_key}"
        )
    column, person_table, person_column = LINKS[spec.source_table]
    person_spec = table(person_table)
    return (
        f"select r.*, p.true_person_id from {w.sql_raw(spec)} as r "
        f"join (select distinct {person_column}, {person_spec.primary_key} from {w.sql_raw(person_spec)}) as k "
        f"on k.{person_column} = r.{column} "
        f"join {records} as p on p.source_table = '{person_table}' and p.source_record_id = k.{person_spec.primary_key}"
    )


def _date_texts(system: str, expression: str) -> list[str]:
    """A truth date rendered as it could appear in raw text: the system's format and ISO."""
    rendered = f"strftime({expression}, '{DATE_FORMATS[system]}')"
    return [f"upper({rendered})", f"strftime({expression}, '%Y-%m-%d')"]


@pytest.mark.parametrize("spec", TABLES, ids=lambda t: t.source_table)
def test_no_raw_column_holds_a_true_attribute(world: World, spec: Table) -> None:
    """No raw value equals the true person id (as text or number), and no column carries what no system
    records: the person's date of death (outside a release or termination because they died), true area
    code, region, ethnicity group or deprivation decile."""
    people = world.sql_truth("people")
    truths = {
        "true_person_id": ["cast(t.true_person_id as varchar)"],
        "date_of_death": _date_texts(spec.system, "t.date_of_death"),
        "area_code": ["t.area_code"],
        "region": ["t.region"],
        "ethnicity_group": ["t.ethnicity_group"],
        "deprivation_decile": ["cast(t.deprivation_decile as varchar)"],
    }
    # A death date is legitimately recorded as the date of a release or a termination because of the death.
    legitimate_death = {
        ("prisons.custodial_spells", "release_date"): "l.release_reason = 'DIED'",
        ("probation.events", "termination_date"): "l.termination_reason = 'Died'",
    }
    checks, selects = [], []
    for column in spec.columns:
        if column.name in AUDIT:
            continue
        for name, expressions in truths.items():
            if name == "deprivation_decile" and column.kind == "integer":
                continue  # need scores 0-2 and lengths meet deciles 1-10 by chance
            equal = " or ".join(f"l.{column.name} = {e}" for e in expressions)
            if name == "true_person_id":
                equal += f" or try_cast(l.{column.name} as bigint) = t.true_person_id"
            excused = legitimate_death.get((spec.source_table, column.name)) if name == "date_of_death" else None
            if excused:
                equal = f"not ({excused}) and ({equal})"
            checks.append((column.name, name))
            selects.append(f"avg(coalesce(({equal}), false)::int)")
    values = _rows(
        f"select count(*), {', '.join(selects)} from ({_linked_sql(world, spec)}) as l "
        f"join {people} as t using (true_person_id)"
    )[0]
    assert values[0] > 0
    shares = {check: float(v or 0.0) for check, v in zip(checks, values[1:], strict=True)}
    worst = max(shares.items(), key=lambda item: item[1])
    print(f"{spec.source_table}: {values[0]} linked rows; highest share equal to a truth value: {worst}")
    leaking = {k: round(v, 4) for k, v in shares.items() if v > 0.005}
    assert not leaking, f"raw columns equal to true attributes on more than 0.5% of rows: {leaking}"


def _world_named(request: pytest.FixtureRequest, name: str) -> World:
    """The single-chunk main world, or the three-chunk world made by two workers."""
    if name in ("world", "single_chunk"):
        return request.getfixturevalue("world")
    return request.getfixturevalue("multi_chunk_worlds")["seed7_workers2"]


# Person-identifying tables and their identifiers (the primary keys).
IDENTIFIERS = ("pnc.persons", "courts.defendants", "prisons.prisoners", "probation.people", "oasys.assessments")


def _identifier_ranks(w: World, source_table: str) -> tuple[dict[str, np.ndarray], np.ndarray]:
    records = w.truth("person_records")
    mine = _strings(records, "source_table") == source_table
    ids = _strings(records, "source_record_id")[mine]
    person = records.column("true_person_id").to_numpy()[mine]
    keys = {"identifier": np.unique(ids.astype(str), return_inverse=True)[1]}
    if source_table == "pnc.persons":
        keys["PNC serial"] = np.array([int(v[5:12]) for v in ids])
    return keys, person


@pytest.mark.parametrize("source_table", IDENTIFIERS)
@pytest.mark.parametrize("world_name", ["world", "multi_chunk"])
def test_identifiers_carry_no_true_person_order(
    request: pytest.FixtureRequest, world_name: str, source_table: str
) -> None:
    """Identifiers are keyed permutations, not allocated in true-person-id order: sorting records by
    identifier (or by PNC serial) says nothing about who is who.

    The bound is |rho| < 0.05, widened to 4 standard errors of a random order where the key has few distinct
    values: PNC serials restart every year and the same keyed permutation of the within-year rank is used in
    every year, so a world of 20,000 people has only about 800 distinct serials (rho's standard error 0.035)."""
    w = _world_named(request, world_name)
    keys, person = _identifier_ranks(w, source_table)
    for name, key in keys.items():
        rho = spearman(key, person)
        distinct = len(np.unique(key))
        bound = max(0.05, 4 / np.sqrt(distinct))
        print(
            f"{world_name} {source_table} {name}: Spearman rho with true_person_id {rho:+.4f} "
            f"(n={len(person)}, {distinct} distinct, bound {bound:.3f})"
        )
        assert abs(rho) < bound, (source_table, name, rho)


@pytest.mark.parametrize(
    "world_name",
    [
        "single_chunk",
        "three_chunks",
    ],
)
def test_raw_row_order_carries_no_true_person_order(request: pytest.FixtureRequest, world_name: str) -> None:
    """Sorting any raw table by its row order must not sort it by true person (|Spearman rho| < 0.05)."""
    w = _world_named(request, world_name)
    correlated = {}
    for spec in TABLES:
        rows = _rows(f"select file_row_number, true_person_id from ({_linked_sql(w, spec)})")
        assert len(rows) > 1_000, spec.source_table
        position, person = np.array(rows).T
        rho = spearman(position, person)
        print(f"{world_name} {spec.source_table}: Spearman rho of row order with true_person_id {rho:+.4f}")
        if abs(rho) >= 0.05:
            correlated[spec.source_table] = round(rho, 3)
    assert not correlated, f"raw row order follows true_person_id: {correlated}"


# ----------------------------------------------------------------------------------------------- successive extracts
def _current_rows_sql(w: World, spec: Table) -> str:
    """The rows of a raw table that are a record's current version: inserted duplicates and rows without a
    key left out, so the key is unique."""
    return (
        f"select * exclude (file_row_number) from {w.sql_raw(spec)} "
        f"where file_row_number not in ({_defect_rows_sql(w, spec, DUPLICATES)}) "
        f"and nullif(trim({spec.primary_key}), '') is not null"
    )


def test_later_extract_has_more_rows_in_every_table(extracts: tuple[World, World]) -> None:
    earlier, later = extracts
    for spec in TABLES:
        before = earlier.manifest["row_counts"][spec.source_table]  # type: ignore[index]
        after = later.manifest["row_counts"][spec.source_table]  # type: ignore[index]
        print(f"{spec.source_table:26s} {EARLIER}: {before:7d}  {LATER}: {after:7d}")
        assert after > before, spec.source_table


def test_earlier_records_are_still_in_the_later_extract(extracts: tuple[World, World]) -> None:
    """What existed before is still there. A key can go missing only through bad rows: a record picked for a
    defect gets one among the defects that apply to it, and when the record changes (a case completes) the
    pick can become ``missing_required`` on the key (seed 3: 1 case of 26,381)."""
    earlier, later = extracts
    for spec in TABLES:
        pk = spec.primary_key
        total, kept = _rows(
            f"""
            with e as (select distinct {pk} from {earlier.sql_raw(spec)} where nullif(trim({pk}), '') is not null),
            l as (select distinct {pk} from {later.sql_raw(spec)})
            select count(*), count(*) filter (where {pk} in (select {pk} from l)) from e
            """
        )[0]
        print(f"{spec.source_table:26s} keys of {EARLIER} still present on {LATER}: {kept / total:.5f} of {total}")
        assert kept / total >= 0.995, spec.source_table


def _compare_unchanged(earlier: World, later: World) -> dict[str, tuple[int, int, str]]:
    """Per table: rows of the earlier extract whose later version was last updated on or before the earlier
    extract date, how many are identical in every column but extracted_at, and which columns differ."""
    out = {}
    cutoff = f"{EARLIER.isoformat()} 23:59:59"
    for spec in TABLES:
        pk = spec.primary_key
        columns = [c for c in spec.column_names if c != "extracted_at"]
        same = " and ".join(f"e.{c} is not distinct from l.{c}" for c in columns)
        which = " || ".join(f"case when e.{c} is distinct from l.{c} then '{c} ' else '' end" for c in columns)
        e_sql, l_sql = _current_rows_sql(earlier, spec), _current_rows_sql(later, spec)
        assert _one(f"select count(*) - count(distinct {pk}) from ({e_sql})") == 0
        total, identical = _rows(
            f"select count(*), count(*) filter (where {same}) from ({e_sql}) as e join ({l_sql}) as l using ({pk}) "
            f"where l.last_updated_at <= '{cutoff}'"
        )[0]
        differences = _rows(
            f"select {which} as columns, count(*) from ({e_sql}) as e join ({l_sql}) as l using ({pk}) "
            f"where l.last_updated_at <= '{cutoff}' and not ({same}) group by all order by 2 desc"
        )
        out[spec.source_table] = (total, identical, "; ".join(f"{c.strip()}: {n}" for c, n in differences))
    return out


@pytest.fixture(scope="session")
def unchanged_comparison(extracts: tuple[World, World]) -> dict[str, tuple[int, int, str]]:
    return _compare_unchanged(*extracts)


def test_records_unchanged_since_the_earlier_extract_are_the_same(
    unchanged_comparison: dict[str, tuple[int, int, str]],
) -> None:
    """A record the later extract says was last updated on or before the earlier extract date must read the
    same in both extracts. Records changed in between (outcomes recorded, releases, late corrections of
    offence codes, and therefore defects whose applicability changed) have a later last_updated_at and are
    left out. The tolerated 0.5% covers what remains: records whose noise gives them another person's PNC id,
    which is drawn afresh in each extract (see the strict test below)."""
    for source_table, (total, identical, differences) in unchanged_comparison.items():
        print(f"{source_table:26s} {identical}/{total} identical ({identical / total:.5f}); differences: {differences}")
        assert total > 0
        assert identical / total >= 0.995, (source_table, differences)


def test_records_unchanged_since_the_earlier_extract_are_exactly_the_same(
    unchanged_comparison: dict[str, tuple[int, int, str]],
) -> None:
    differing = {t: d for t, (total, identical, d) in unchanged_comparison.items() if identical != total}
    assert not differing


def test_earlier_extract_holds_nothing_after_its_date(extracts: tuple[World, World]) -> None:
    """Events after data_as_of are absent: no date (apart from planned end dates and listed defects) and no
    update time is later than the extract date."""
    earlier, _ = extracts
    as_of = earlier.config.data_as_of
    for spec in TABLES:
        fmt = DATE_FORMATS[spec.system]
        dates = [c.name for c in spec.columns if c.kind == "date" and c.name != "expected_end_date"]
        latest = ", ".join(f"max(try_strptime({c}, '{fmt}'))::date" for c in dates)
        damaged = _defect_rows_sql(earlier, spec, tuple(DEFECT_ACTIONS))
        values = _rows(
            f"select max(last_updated_at), max(extracted_at), min(extracted_at) {', ' + latest if latest else ''} "
            f"from {earlier.sql_raw(spec)} where file_row_number not in ({damaged})"
        )[0]
        assert values[0] <= f"{as_of} 23:59:59", spec.source_table
        assert values[1] == values[2] == f"{as_of} 23:59:59", spec.source_table
        for column, value in zip(dates, values[3:], strict=True):
            assert value is None or value <= as_of, (spec.source_table, column, value)


def test_earlier_truth_is_contained_in_the_later_truth(extracts: tuple[World, World]) -> None:
    earlier, later = extracts
    comparisons = {
        "proven_offences": "true_person_id, offence_code, offence_date, proven_date, outcome_type",
        "people": "true_person_id, date_of_birth, sex",
        "person_records": "source_table, source_record_id, true_person_id",
        "index_events": "true_person_id, event_type, event_date",
    }
    for name, columns in comparisons.items():
        where = f"where proven_date <= date '{EARLIER}'" if name == "proven_offences" else ""
        total, missing = _rows(
            f"""
            with e as (select {columns} from {earlier.sql_truth(name)} {where}),
            gone as (select * from e except all select {columns} from {later.sql_truth(name)})
            select (select count(*) from e), (select count(*) from gone)
            """
        )[0]
        print(f"truth {name:16s} {total} rows on {EARLIER}, {missing} absent on {LATER} ({missing / total:.5f})")
        assert missing / total <= 0.005, name


# ----------------------------------------------------------------------------------------------- command line
def _generate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([GENERATE, *args], capture_output=True, text=True, timeout=120, check=False)


def test_cli_help() -> None:
    result = _generate("--help")
    assert result.returncode == 0
    options = (
        "--people",
        "--seed",
        "--as-of",
        "--end-year",
        "--data-dir",
        "--seeds-dir",
        "--noise-rate",
        "--bad-row-rate",
    )
    for option in options:
        assert option in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--people", "10"], "people must be between 1,000"),
        (["--as-of", "1999-06-30"], "must fall inside the simulated years"),
        (["--as-of", "2026-01-01", "--end-year", "2025"], "must fall inside the simulated years"),
        (["--as-of", "30/06/2025"], "expected a date YYYY-MM-DD"),
        (["--noise-rate", "0.9"], "identifier_noise_rate must be between 0 and 0.5"),
        (["--bad-row-rate", "-0.1"], "bad_row_rate must be between 0 and 0.5"),
        (["--workers", "0"], "workers must be at least 1"),
    ],
)
def test_cli_rejects_bad_parameters(tmp_path: Path, args: list[str], message: str) -> None:
    result = _generate(*args, *SEEDS_ARGS, "--data-dir", str(tmp_path / "data"), "--no-progress")
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert not (tmp_path / "data" / "raw").exists()


def test_cli_needs_the_seeds_folder(tmp_path: Path) -> None:
    """The seeds are passed in, never looked for: without --seeds-dir, or with a folder lacking a seed, the
    generator stops before writing anything and says which seed or folder is missing."""
    data_dir = tmp_path / "data"
    result = _generate("--people", "1000", "--data-dir", str(data_dir), "--no-progress")
    assert result.returncode == 2 and "--seeds-dir" in result.stderr, result.stderr
    (tmp_path / "seeds").mkdir()
    result = _generate("--people", "1000", "--seeds-dir", str(tmp_path / "seeds"), "--data-dir", str(data_dir))
    assert result.returncode == 1, result.stderr
    assert "no file named reference__offence_codes.csv under" in result.stderr
    result = _generate("--people", "1000", "--seeds-dir", str(tmp_path / "absent"), "--data-dir", str(data_dir))
    assert result.returncode == 1 and "does not exist" in result.stderr, result.stderr
    assert not data_dir.exists()


def test_cli_writes_a_world(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = _generate("--people", "1000", "--seed", "5", *SEEDS_ARGS, "--data-dir", str(data_dir), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "1,000 people" in result.stdout
    manifest = json.loads((data_dir / "raw" / "_manifest.json").read_text())
    assert (manifest["people"], manifest["seed"]) == (1000, 5)
    for spec in TABLES:
        assert (
            pq.ParquetFile(data_dir / "raw" / spec.system / f"{spec.name}.parquet").metadata.num_rows
            == (manifest["row_counts"][spec.source_table])
        )
    assert {p.name for p in (data_dir / "truth").iterdir()} == {f"{name}.parquet" for name in TRUTH_FILES} | {
        "_manifest.json",
        MARKER_NAME,
    }

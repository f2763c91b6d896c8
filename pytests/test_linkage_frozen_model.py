"""A saved linkage model scores new records as it scored the old ones (repeat_offending.linkage.justice,
model, saved_model): its parameters and its names' term-frequency lookups are both reused, so a pair of
unchanged records gets the same probability however many records arrive beside them. This is what lets a
lineage of releases keep one model (LINKAGE_MODEL=previous) and a refresh score only the new records."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from splink import DuckDBAPI, Linker

from repeat_offending.linkage.justice import JUSTICE_COLUMNS, PROFILE_COLUMNS, score_probabilistic
from repeat_offending.linkage.model import ModelOptions, settings, term_frequency_columns, term_frequency_sql
from repeat_offending.linkage.saved_model import term_frequency_file
from synthetic_people import synthetic_records

NAMES = term_frequency_columns(JUSTICE_COLUMNS)


def _profiles(records: pa.Table) -> pa.Table:
    con = duckdb.connect()
    con.register("records", records)
    columns = ", ".join(PROFILE_COLUMNS)
    return con.sql(
        f"select row_number() over (order by {columns}) as profile_id, {columns} "
        f"from (select distinct {columns} from records)"
    ).to_arrow_table()


def test_the_names_with_term_frequencies_are_the_models() -> None:
    structure = settings(JUSTICE_COLUMNS, ModelOptions()).create_settings_dict("duckdb")
    adjusted = {
        level["tf_adjustment_column"]
        for comparison in structure["comparisons"]
        for level in comparison["comparison_levels"]
        if level.get("tf_adjustment_column")
    }
    assert adjusted == set(NAMES) == {"forename", "surname"}


@pytest.mark.parametrize("column", NAMES)
def test_the_lookup_is_the_one_splink_computes(column: str) -> None:
    profiles = _profiles(synthetic_records(200, seed=3)[0])
    con = duckdb.connect()
    con.register("profiles", profiles)
    ours = con.sql(f"{term_frequency_sql(column, 'profiles')} order by 1").fetchall()
    linker = Linker(
        DuckDBAPI(connection=con).register("profiles"),
        settings(JUSTICE_COLUMNS, ModelOptions()),
    )
    splinks = linker.table_management.compute_tf_table(column).as_duckdbpyrelation().order("1").fetchall()
    assert len(ours) > 20
    assert ours == splinks


def _edges(scored: pa.RecordBatchReader, among: set[str]) -> dict[tuple[str, str], float]:
    """The scored (not identical-details) links between records of ``among``."""
    table = scored.read_all()
    return {
        (left, right): probability
        for left, right, probability, method in zip(*(table.column(i).to_pylist() for i in range(4)), strict=True)
        if method == "probabilistic" and left in among and right in among
    }


def test_old_pairs_keep_their_scores_with_the_saved_lookups_and_not_without(tmp_path: Path) -> None:
    records = synthetic_records(400, seed=5)[0].select(["record_id", *PROFILE_COLUMNS])
    old = records.slice(0, records.num_rows - 200)  # the first extract; the last 200 records arrive later
    kept = set(old.column("record_id").to_pylist())
    saved = {column: term_frequency_file(tmp_path, column) for column in NAMES}
    first = score_probabilistic(old, save_term_frequencies=saved)
    before = _edges(first.edges, kept)
    assert all(path.is_file() for path in saved.values()) and len(before) > 100

    frozen = score_probabilistic(records, trained=first.model_json, term_frequencies=saved)
    assert _edges(frozen.edges, kept) == before

    # Without the saved lookups the new records change the names' frequencies, and so the old pairs' scores.
    refreshed = score_probabilistic(records, trained=first.model_json)
    moved = _edges(refreshed.edges, kept)
    common = before.keys() & moved.keys()
    assert len(common) > len(before) * 0.9
    assert sum(moved[pair] != before[pair] for pair in common) > len(common) // 10


def _profile_changes(previous: pa.Table, current: pa.Table) -> tuple[set[str], set[str]]:
    """The records of the profiles whose records changed, as linkage__profile_changes finds them: in the
    current extract and in the previous one."""

    def rows(table: pa.Table) -> dict[str, tuple]:
        return {row.pop("record_id"): tuple(row[name] for name in PROFILE_COLUMNS) for row in table.to_pylist()}

    before, after = rows(previous), rows(current)
    changed = {before[r] for r in before if after.get(r) != before[r]}
    changed |= {after[r] for r in after if before.get(r) != after[r]}
    return {r for r, v in after.items() if v in changed}, {r for r, v in before.items() if v in changed}


def _all_edges(scored: pa.RecordBatchReader) -> set[tuple]:
    table = scored.read_all()
    return set(zip(*(table.column(name).to_pylist() for name in table.column_names), strict=True))


def test_scoring_the_changed_profiles_only_gives_the_links_of_scoring_them_all(tmp_path: Path) -> None:
    """A refresh: the previous extract's links, less those of the profiles whose records changed, plus the
    links scored for those profiles alone, are the links of scoring the whole new extract (same model)."""
    records = synthetic_records(500, seed=7)[0].select(["record_id", *PROFILE_COLUMNS])
    rows = records.to_pylist()
    previous = pa.Table.from_pylist(rows[:-150], schema=records.schema)  # 150 records arrive later
    current_rows = rows[10:]  # 10 records leave the extract
    for row in current_rows[20:40]:  # 20 records change (a corrected surname, a new postcode)
        row["surname"] = (row["surname"] or "") + "E"
        row["postcode"] = None
    # A new record identical to an old one, with a smaller id: its profile's representative changes.
    current_rows.append({**current_rows[100], "record_id": "aaa:000000"})
    current = pa.Table.from_pylist(current_rows, schema=records.schema)

    saved = {column: term_frequency_file(tmp_path, column) for column in NAMES}
    first = score_probabilistic(previous, save_term_frequencies=saved)
    links_before = _all_edges(first.edges)
    changed_now, changed_before = _profile_changes(previous, current)
    assert 150 < len(changed_now) < current.num_rows // 2

    kept = {link for link in links_before if link[0] not in changed_before and link[1] not in changed_before}
    touching = score_probabilistic(
        current,
        trained=first.model_json,
        term_frequencies=saved,
        changed_records=pa.table({"record_id": sorted(changed_now)}),
    )
    refreshed = kept | _all_edges(touching.edges)
    full = _all_edges(score_probabilistic(current, trained=first.model_json, term_frequencies=saved).edges)
    assert len(full) > 300
    assert refreshed == full
    assert len(kept) > len(full) // 2  # most links were not scored again


def test_scoring_the_changed_profiles_only_needs_a_saved_model() -> None:
    records = synthetic_records(20, seed=1)[0].select(["record_id", *PROFILE_COLUMNS])
    with pytest.raises(ValueError, match="saved model and its term frequencies"):
        score_probabilistic(records, changed_records=pa.table({"record_id": ["x"]}))

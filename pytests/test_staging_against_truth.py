"""Staging against the generator's list of injected bad rows (truth/defects.parquet), on the test world: the
checks of `repeat_offending_tools.truth_checks` (also run by the world sweep on every world it builds).

Every defect whose expected action is `quarantine` must be in audit.quarantine with the fitting reason;
every `clean` defect must be cleaned and staged; at most 0.1% of the rows with no defect may be
quarantined; and for every raw table raw rows = staged rows + quarantined rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from repeat_offending_tools.truth_checks import StagingCheck, connect, staging_against_truth


@pytest.fixture(scope="module")
def check(built_world: Path) -> StagingCheck:
    con = connect(built_world, built_world / "warehouse.duckdb")
    try:
        return staging_against_truth(con)
    finally:
        con.close()


def test_every_quarantine_defect_is_quarantined_with_its_reason(check: StagingCheck) -> None:
    assert check.quarantine_defects > 0, "the test world has no quarantine defects"
    assert not check.wrongly_quarantined, f"defects not quarantined with their reason: {check.wrongly_quarantined}"


def test_every_clean_defect_is_staged(check: StagingCheck) -> None:
    assert not check.clean_defects_quarantined, f"clean-able defects quarantined: {check.clean_defects_quarantined}"
    assert check.clean_defects > 0


def test_at_most_one_in_a_thousand_sound_rows_is_quarantined(check: StagingCheck) -> None:
    print(f"sound rows {check.sound_rows:,}, quarantined {check.sound_rows_quarantined:,}")
    assert check.sound_rows > 0
    assert check.sound_rows_quarantined <= 0.001 * check.sound_rows


def test_raw_rows_equal_staged_plus_quarantined(check: StagingCheck) -> None:
    assert not check.unreconciled_tables, check.unreconciled_tables
    assert check.passed, check.problems

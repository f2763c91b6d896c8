"""derived.proven_reoffending against proven reoffending recomputed from the ground truth (`validate-derived`).

On the small world `make test` builds: the generator's independent implementation of METHODOLOGY section 2
(`justice_world.truth_measures`) and the warehouse must agree but for quarantine and linkage. Every
complete cohort quarter with at least 1,000 offenders must be within 0.5 percentage points (the small world has
none, so the check is vacuous there: `make validate` applies it to the default world); pooled over all complete
quarters, since the test world is small, the rates must be within 1 point; and record by record, the two
cohorts must be almost the same people with the same index events and outcomes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from repeat_offending_tools import validate_derived as validate_derived_module

COMMAND = Path(sys.executable).with_name("validate-derived")


@pytest.fixture(scope="module")
def validate_derived() -> ModuleType:
    return validate_derived_module


@pytest.fixture(scope="module")
def validation(validate_derived: ModuleType, built_world: Path):
    result = validate_derived.validate(built_world, built_world / "warehouse.duckdb", check_calibration=False)
    print("\n" + validate_derived.markdown(result))
    return result


def test_there_are_complete_cohorts_to_compare(validation) -> None:
    assert validation.quarters, "no complete cohort quarter in the truth or the warehouse"
    assert validation.pooled_truth.offenders > 1000
    assert validation.pooled_derived.offenders > 1000


def test_quarters_of_1000_offenders_within_half_a_point(validation) -> None:
    checked = [q for q in validation.quarters if q.truth.offenders >= 1000]
    failing = [(q.cohort_quarter, q.rate_difference_pp) for q in checked if abs(q.rate_difference_pp) > 0.5]
    assert not failing, f"proven reoffending rate differs from the truth by more than 0.5 pp: {failing}"
    assert [q.cohort_quarter for q in validation.failing_quarters] == []


def test_pooled_rate_within_one_point(validation) -> None:
    difference = validation.pooled_difference_pp
    assert difference is not None
    assert abs(difference) <= 1.0, f"pooled rate differs from the truth by {difference:+.2f} pp"
    assert validation.pooled_ok


def test_juvenile_and_adult_rates_pooled_within_two_points(validation) -> None:
    truth, derived = validation.pooled_truth, validation.pooled_derived
    assert truth.juvenile_offenders > 0 and derived.juvenile_offenders > 0
    assert abs(100 * (derived.juvenile_rate - truth.juvenile_rate)) <= 2.0
    assert abs(100 * (derived.adult_rate - truth.adult_rate)) <= 1.0


def test_cohorts_agree_record_by_record(validation) -> None:
    agreement = validation.agreement
    assert agreement, "truth/person_records.parquet is missing"
    matched = agreement["matched"]
    assert matched >= 0.99 * agreement["truth_records"], agreement
    assert agreement["derived_only"] <= 0.005 * agreement["derived_records"], agreement
    assert agreement["same_index_event"] >= 0.995 * matched, agreement
    assert agreement["same_is_reoffender"] >= 0.995 * matched, agreement


def test_the_command_passes_and_writes_its_report(built_world: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [
            str(COMMAND),
            "--data-dir",
            str(built_world),
            "--database",
            str(built_world / "warehouse.duckdb"),
            "--no-calibration-check",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS" in result.stdout
    assert (tmp_path / "validate_derived.md").exists()
    assert (tmp_path / "validate_derived.json").exists()

"""Calibration: a default-sized world (200,000 people, seed 1) lands near the published England and Wales
proven reoffending figures (SOURCE_SYSTEMS.md "Realism targets", METHODOLOGY.md section 2).

The measures are computed from the ground truth alone (``justice_world.calibration``, an
implementation of METHODOLOGY section 2 over truth/): raw/ is deleted before they are computed. They pool the
latest 8 complete cohort quarters. Generating the world takes 10-25 seconds; the test runs in ``make test``
(the ``slow`` marker is informational, nothing deselects it).
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil

import duckdb
import pytest

from justice_world.calibration import BANDS, calibration_measures
from world_helpers import World, generate_world

PEOPLE = 200_000
SEED = 1
AS_OF = dt.date(2025, 6, 30)
QUARTERS = 8

# Published figures (domain-research.md section 1.6) with the tolerance the issue sets.
RANGES: dict[str, tuple[float, float]] = {
    "juvenile_rate": (0.28, 0.36),
    "adult_rate": (0.24, 0.30),
    "adult_custody_under_12_months_rate": (0.50, 0.65),
    "reoffences_per_reoffender": (3.0, 4.5),
    "juvenile_share_of_cohort": (0.03, 0.10),
}


@pytest.fixture(scope="module")
def calibration_world(tmp_path_factory: pytest.TempPathFactory) -> World:
    w = generate_world(tmp_path_factory.mktemp("calibration"), people=PEOPLE, seed=SEED, data_as_of=AS_OF)
    # The measures must come from the truth alone: take the extracts away before computing anything.
    shutil.rmtree(w.data_dir / "raw")
    return w


def _measures(w: World) -> dict[str, object]:
    assert not (w.data_dir / "raw").exists()
    con = duckdb.connect()
    try:
        return calibration_measures(con, w.data_dir / "truth", AS_OF, QUARTERS)
    finally:
        con.close()


@pytest.mark.slow
def test_world_lands_near_the_published_reoffending_figures(
    calibration_world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    measured = _measures(calibration_world)
    with capsys.disabled():
        print(f"\ncalibration of {PEOPLE:,} people, seed {SEED}, data as of {AS_OF} (from truth/ only):")
        for key, value in measured.items():
            target = RANGES.get(key)
            print(f"  {key:40s} {value}" + (f"   target {target[0]}-{target[1]}" if target else ""))

    quarters = str(measured["quarters"]).split(",")
    assert quarters == [f"{year}-Q{q}" for year in (2022, 2023) for q in range(1, 5)], "latest 8 complete quarters"
    assert int(measured["offenders_per_quarter"]) > 1_000  # type: ignore[call-overload]

    outside = {}
    for key, (low, high) in RANGES.items():
        value = measured[key]
        assert isinstance(value, float | int), key
        if not low <= value <= high:
            outside[key] = (value, (low, high))
    assert not outside, f"measures outside their published ranges: {outside}"

    rates = [measured[f"rate_previous_{band}"] for band in BANDS]
    assert all(isinstance(r, float) for r in rates)
    assert all(a < b for a, b in itertools.pairwise(rates)), (
        f"the proven reoffending rate must rise with previous offences {BANDS}: {rates}"
    )

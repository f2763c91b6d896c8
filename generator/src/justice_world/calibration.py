"""The calibration measures of a world (the figures SOURCE_SYSTEMS.md asks the world to land near)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from .truth_measures import cohort_relation

BANDS = ("0", "1-2", "3-6", "7-10", "11+")


def calibration_measures(
    con: duckdb.DuckDBPyConnection, truth_dir: Path, as_of: dt.date, quarters: int = 8
) -> dict[str, object]:
    """Measures pooled over the latest ``quarters`` complete cohort quarters."""
    cohort = cohort_relation(con, truth_dir, as_of)
    con.register("calibration_cohort", cohort)
    con.execute(
        """
        create or replace temp table calibration_pool as
        with latest as (
            select distinct cohort_quarter from calibration_cohort where has_complete_follow_up
            order by cohort_quarter desc limit ?
        )
        select * from calibration_cohort where has_complete_follow_up
            and cohort_quarter in (select cohort_quarter from latest)
    """,
        [quarters],
    )

    def one(sql: str) -> object:
        row = con.execute(sql).fetchone()
        return None if row is None else (round(row[0], 4) if isinstance(row[0], float) else row[0])

    measures: dict[str, object] = {
        "quarters": one(
            "select string_agg(distinct cohort_quarter, ',' order by cohort_quarter) from calibration_pool"
        ),
        "offenders_per_quarter": one("select count(*) / count(distinct cohort_quarter) from calibration_pool"),
        "juvenile_rate": one("select avg(is_reoffender::int) from calibration_pool where is_juvenile"),
        "adult_rate": one("select avg(is_reoffender::int) from calibration_pool where not is_juvenile"),
        "overall_rate": one("select avg(is_reoffender::int) from calibration_pool"),
        "adult_custody_under_12_months_rate": one(
            "select avg(is_reoffender::int) from calibration_pool where not is_juvenile "
            "and index_event_type = 'custody_release' and sentence_length_days < 365"
        ),
        "reoffences_per_reoffender": one(
            "select sum(reoffences) / count(*) filter (where is_reoffender) from calibration_pool"
        ),
        "juvenile_share_of_cohort": one("select avg(is_juvenile::int) from calibration_pool"),
    }
    for band in BANDS:
        measures[f"rate_previous_{band}"] = one(
            f"select avg(is_reoffender::int) from calibration_pool where previous_offences_band = '{band}'"
        )
        measures[f"share_previous_{band}"] = one(
            f"select avg((previous_offences_band = '{band}')::int) from calibration_pool"
        )
    for kind in ("custody_release", "court_order", "caution"):
        measures[f"share_{kind}"] = one(f"select avg((index_event_type = '{kind}')::int) from calibration_pool")
        measures[f"rate_{kind}"] = one(
            f"select avg(is_reoffender::int) from calibration_pool where index_event_type = '{kind}'"
        )
    return measures

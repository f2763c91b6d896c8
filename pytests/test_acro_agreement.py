"""ACRO (the SACRO project's output checker, `acro` on the package index) against the publication tables.

Two publication tables of the test world, proven reoffending by cohort year and by cohort quarter for juveniles
and adults, are recomputed from the record-level cohort (`derived.proven_reoffending`) with ACRO's own
crosstabs, suppression on, with ACRO's default rules: a threshold of 10 records (zeros disclosive), and for the
sums of reoffences the p-ratio and n,k-dominance checks (the two largest contributors at most 90% of the sum).
No cell ACRO blocks may be published: the project's disclosure control must be at least as strict as ACRO's.
"""

from __future__ import annotations

from pathlib import Path

import acro
import duckdb
import pandas as pd
import pytest

# The publication tables compared, with their cohort period column.
TABLES = {
    "publication.proven_reoffending_by_year": "cohort_year",
    "publication.proven_reoffending_by_quarter": "cohort_quarter",
}


@pytest.fixture(scope="module")
def checker(tmp_path_factory: pytest.TempPathFactory) -> object:
    # ACRO writes its record of outputs in the working folder when finalised; it is never finalised here.
    return acro.ACRO(suppress=True)


@pytest.fixture(scope="module")
def warehouse(built_world: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(built_world / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


def _cohort(con: duckdb.DuckDBPyConnection, table: str, period: str) -> pd.DataFrame:
    """The record-level cohort of the periods the table publishes (complete cohorts only)."""
    return con.sql(f"""
        select
            cast(cohort.{period} as varchar) as period,
            case when cohort.is_juvenile then 'Juvenile' else 'Adult' end as age_group,
            cast(cohort.is_reoffender as integer) as is_reoffender,
            cohort.reoffences
        from derived.proven_reoffending as cohort
        where cohort.{period} in (select {period} from {table})
    """).df()


def _blocked(table: pd.DataFrame) -> set[tuple[str, str]]:
    """The (period, age group) cells ACRO suppressed (NaN in its table)."""
    stacked = table.stack(future_stack=True)
    return {(str(period), str(age_group)) for (period, age_group), value in stacked.items() if pd.isna(value)}


def _published(con: duckdb.DuckDBPyConnection, table: str, period: str, column: str) -> set[tuple[str, str]]:
    rows = con.sql(f"""
        select cast({period} as varchar), age_group
        from {table}
        where age_group != 'All' and {column} is not null
    """).fetchall()
    return {(str(p), str(a)) for p, a in rows}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_no_cell_acro_blocks_is_published(
    warehouse: duckdb.DuckDBPyConnection, checker: object, table: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    period = TABLES[table]
    cohort = _cohort(warehouse, table, period)
    assert len(cohort) > 1000
    reoffenders = cohort[cohort["is_reoffender"] == 1]
    checks = {
        "offenders": checker.crosstab(cohort["period"], cohort["age_group"]),
        "reoffenders": checker.crosstab(reoffenders["period"], reoffenders["age_group"]),
        # the sum of reoffences over the reoffenders: threshold, p-ratio and n,k-dominance
        "reoffences": checker.crosstab(
            reoffenders["period"], reoffenders["age_group"], values=reoffenders["reoffences"], aggfunc="sum"
        ),
    }
    blocked_any = published_any = 0
    for column, acro_table in checks.items():
        blocked = _blocked(acro_table)
        published = _published(warehouse, table, period, column)
        blocked_any, published_any = blocked_any + len(blocked), published_any + len(published)
        both = sorted(blocked & published)
        assert not both, f"{table}.{column}: ACRO blocks {len(both)} published cells, e.g. {both[:5]}"
    # Both sides have cells to compare: ACRO blocks some (the small juvenile cells) and the table publishes some.
    assert blocked_any > 0 and published_any > 0

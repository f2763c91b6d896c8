"""Staging against the generator's list of injected bad rows (truth/defects.parquet).

Every defect whose expected action is `quarantine` must be in audit.quarantine with the fitting reason;
every `clean` defect must be cleaned and staged; at most 0.1% of the rows with no defect may be
quarantined; and for every raw table raw rows = staged rows + quarantined rows.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from repeat_offending.synthetic.raw_schema import DEFECT_ACTIONS, TABLES

# The reason each defect type must get (they share names; listed so a rename cannot pass silently).
FITTING_REASON = {kind: kind for kind, action in DEFECT_ACTIONS.items() if action == "quarantine"}


@pytest.fixture(scope="module")
def con(built_world: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(built_world / "ci.duckdb"), read_only=True)
    connection.execute(f"""
        create temp view defects as select * from read_parquet('{built_world.as_posix()}/truth/defects.parquet');
        create temp view raw_rows as
        {
        " union all ".join(
            f"select '{t.source_table}' as source_table, file_row_number as source_row_number "
            f"from read_parquet('{built_world.as_posix()}/raw/{t.system}/{t.name}.parquet', file_row_number = true)"
            for t in TABLES
        )
    };
    """)
    return connection


def test_every_quarantine_defect_is_quarantined_with_its_reason(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.sql("""
        select d.source_table, d.defect_type, q.reason, count(*) as n
        from defects as d
        left join audit.quarantine as q using (source_table, source_row_number)
        where d.expected_action = 'quarantine'
        group by all
    """).fetchall()
    assert rows, "the test world has no quarantine defects"
    wrong = [(t, kind, reason, n) for t, kind, reason, n in rows if reason != FITTING_REASON[kind]]
    assert not wrong, f"defects not quarantined with their reason: {wrong}"


def test_every_clean_defect_is_staged(con: duckdb.DuckDBPyConnection) -> None:
    quarantined = con.sql("""
        select d.source_table, d.defect_type, q.reason, count(*) as n
        from defects as d
        inner join audit.quarantine as q using (source_table, source_row_number)
        where d.expected_action = 'clean'
        group by all
    """).fetchall()
    assert not quarantined, f"clean-able defects quarantined: {quarantined}"
    total = con.sql("select count(*) from defects where expected_action = 'clean'").fetchall()[0][0]
    assert total > 0


def test_at_most_one_in_a_thousand_sound_rows_is_quarantined(con: duckdb.DuckDBPyConnection) -> None:
    sound, quarantined = con.sql("""
        select count(*), count(q.source_row_number)
        from raw_rows as r
        anti join defects as d using (source_table, source_row_number)
        left join audit.quarantine as q using (source_table, source_row_number)
    """).fetchall()[0]
    print(f"sound rows {sound:,}, quarantined {quarantined:,}")
    assert quarantined <= 0.001 * sound


def test_raw_rows_equal_staged_plus_quarantined(con: duckdb.DuckDBPyConnection) -> None:
    reconciliation = con.sql("""
        select r.source_table, r.raw_rows, a.staged_rows, a.quarantined_rows
        from (select source_table, count(*) as raw_rows from raw_rows group by all) as r
        inner join audit.staging_reconciliation as a using (source_table)
    """).fetchall()
    assert len(reconciliation) == len(TABLES)
    for source_table, raw, staged, quarantined in reconciliation:
        assert raw == staged + quarantined, source_table

"""Staging against the generator's list of injected bad rows (``truth/defects.parquet``).

Every defect whose expected action is ``quarantine`` must be in ``audit.quarantine`` with the fitting reason;
every ``clean`` defect must be cleaned and staged; at most 0.1% of the rows with no defect may be quarantined;
and for every raw table raw rows = staged rows + quarantined rows. ``pytests/test_staging_against_truth.py``
applies it to the test world and the world sweep (``repeat_offending_tools.sweep``) to every world it builds.
Only counts, table names and defect types are reported, never a row's values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from justice_world.raw_schema import DEFECT_ACTIONS, TABLES

# The reason each defect type must get (they share names; listed so a rename cannot pass silently).
FITTING_REASON = {kind: kind for kind, action in DEFECT_ACTIONS.items() if action == "quarantine"}
MAX_SOUND_ROWS_QUARANTINED = 0.001


@dataclass
class StagingCheck:
    """The four checks; each list holds the offending (table, defect type or reason, rows) groups."""

    quarantine_defects: int = 0
    wrongly_quarantined: list[tuple[str, str, str | None, int]] = field(default_factory=list)
    clean_defects: int = 0
    clean_defects_quarantined: list[tuple[str, str, str, int]] = field(default_factory=list)
    sound_rows: int = 0
    sound_rows_quarantined: int = 0
    unreconciled_tables: list[tuple[str, int, int | None, int | None]] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        out = []
        if self.wrongly_quarantined:
            out.append(f"defects not quarantined with their reason: {self.wrongly_quarantined}")
        if self.clean_defects_quarantined:
            out.append(f"clean-able defects quarantined: {self.clean_defects_quarantined}")
        if self.sound_rows_quarantined > MAX_SOUND_ROWS_QUARANTINED * self.sound_rows:
            out.append(f"{self.sound_rows_quarantined:,} of {self.sound_rows:,} sound rows quarantined (> 0.1%)")
        if self.unreconciled_tables:
            out.append(
                f"raw rows != staged + quarantined (table, raw, staged, quarantined): {self.unreconciled_tables}"
            )
        return out

    @property
    def passed(self) -> bool:
        return not self.problems


def connect(data_dir: Path, database: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to ``database`` with the views the checks use: ``defects`` (the truth) and
    ``raw_rows`` (every raw row's table and 0-based row number)."""
    con = duckdb.connect(str(database), read_only=True)
    folder = data_dir.as_posix().replace("'", "''")
    raw_rows = " union all ".join(
        f"select '{t.source_table}' as source_table, file_row_number as source_row_number "
        f"from read_parquet('{folder}/raw/{t.system}/{t.name}.parquet', file_row_number = true)"
        for t in TABLES
    )
    con.execute(f"create temp view defects as select * from read_parquet('{folder}/truth/defects.parquet')")
    con.execute(f"create temp view raw_rows as {raw_rows}")
    return con


def staging_against_truth(con: duckdb.DuckDBPyConnection) -> StagingCheck:
    """Run the four checks on a connection made by ``connect``."""
    check = StagingCheck()
    rows = con.sql("""
        select d.source_table, d.defect_type, q.reason, count(*) as n
        from defects as d
        left join audit.quarantine as q using (source_table, source_row_number)
        where d.expected_action = 'quarantine'
        group by all
        order by all
    """).fetchall()
    check.quarantine_defects = sum(int(n) for *_, n in rows)
    check.wrongly_quarantined = [
        (str(t), str(kind), None if reason is None else str(reason), int(n))
        for t, kind, reason, n in rows
        if reason != FITTING_REASON[kind]
    ]
    check.clean_defects_quarantined = [
        (str(t), str(kind), str(reason), int(n))
        for t, kind, reason, n in con.sql("""
            select d.source_table, d.defect_type, q.reason, count(*) as n
            from defects as d
            inner join audit.quarantine as q using (source_table, source_row_number)
            where d.expected_action = 'clean'
            group by all
            order by all
        """).fetchall()
    ]
    check.clean_defects = int(con.sql("select count(*) from defects where expected_action = 'clean'").fetchall()[0][0])
    sound, quarantined = con.sql("""
        select count(*), count(q.source_row_number)
        from raw_rows as r
        anti join defects as d using (source_table, source_row_number)
        left join audit.quarantine as q using (source_table, source_row_number)
    """).fetchall()[0]
    check.sound_rows, check.sound_rows_quarantined = int(sound), int(quarantined)
    reconciliation = con.sql("""
        select r.source_table, r.raw_rows, a.staged_rows, a.quarantined_rows
        from (select source_table, count(*) as raw_rows from raw_rows group by all) as r
        left join audit.staging_reconciliation as a using (source_table)
        order by all
    """).fetchall()
    check.unreconciled_tables = [
        (str(t), int(raw), staged, quarantined)
        for t, raw, staged, quarantined in reconciliation
        if staged is None or quarantined is None or raw != staged + quarantined
    ]
    return check

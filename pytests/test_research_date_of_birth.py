"""The research extract cannot narrow a date of birth below its year (docs/methodology.md section 6).

The test moves the dates of birth of people within their year of birth and rebuilds everything downstream of
`linked.persons` on a copy of the test world's warehouse. Everything the extract publishes must stay the same:
its ages, age bands, juvenile flags, disposal groups and juvenile or adult counts are the research age (macro
research_age), a function of the year of birth and the event's month. If any value changed with the day or
month of birth, an attacker who knows the rules could read something of it from the extract.

Two things are defined at an exact age and are left out of the comparison, as the methodology documents:
- the 10th birthday, from which offences and index events count. The moved people are those whose every
  dated event is on or after 1 January of the year they turned 11.
- the young people's cohort, aged 18 at its offence, with its youth and adult counts. The research table gives
  its offence and conviction by year only.

The derived layer, which keeps exact ages, must change: otherwise the moves would not test anything.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from extracts import dbt_on_database, public_table_differences, warehouse_copy

EXACT_AGE_TABLES = frozenset({"research.young_people", "research.extract_metadata"})
"""Research tables defined at an exact age (the young people's cohort at 18), and the extract's facts that
count its rows, compared apart (only that count may change)."""

# People with a known date of birth whose every dated event is on or after 1 January of the year they turned
# 11, so that the 10th-birthday rules cannot depend on where their birthday falls in the year.
MOVABLE_PEOPLE = """
    with events as (
        select person_id, offence_date as event_date from linked.proven_offences
        union all select person_id, proven_date from linked.proven_offences
        union all select person_id, offence_date from linked.court_disposals
        union all select person_id, conviction_date from linked.court_disposals
        union all select person_id, sentence_date from linked.court_disposals
        union all select person_id, reception_date from linked.custody_releases
        union all select person_id, sentence_date from linked.custody_releases
        union all select person_id, release_date from linked.custody_releases
        union all select person_id, sentence_date from linked.probation_orders
        union all select person_id, start_date from linked.probation_orders
        union all select person_id, assessment_date from linked.assessments
    )
    select persons.person_id
    from linked.persons as persons
    left join events on persons.person_id = events.person_id
    where persons.date_of_birth is not null
    group by persons.person_id, persons.date_of_birth
    having coalesce(min(events.event_date) >= make_date(year(persons.date_of_birth) + 11, 1, 1), true)
"""


def test_moving_birthdays_within_the_year_changes_nothing_in_the_research_extract(
    built_world: Path, tmp_path: Path
) -> None:
    original = warehouse_copy(built_world, tmp_path / "original.duckdb")
    moved = warehouse_copy(built_world, tmp_path / "moved.duckdb")
    with duckdb.connect(str(moved)) as con:
        people = con.sql(f"select count(*) from ({MOVABLE_PEOPLE})").fetchall()[0][0]
        # half of them born on 1 January, half on 31 December: every birthday moves to the ends of its year
        con.execute(f"""
            update linked.persons
            set date_of_birth = case
                when hash(person_id) % 2 = 0 then make_date(year(date_of_birth), 1, 1)
                else make_date(year(date_of_birth), 12, 31)
            end
            where person_id in ({MOVABLE_PEOPLE})
        """)
    assert people > 1000, f"only {people} people to move"
    # both copies rebuilt downstream of linked.persons by the code under test
    for database in (original, moved):
        folder = tmp_path / database.stem
        build = dbt_on_database(
            built_world, database, folder, "run", "--select", "linked__persons+", "--exclude", "linked__persons"
        )
        assert build.returncode == 0, build.stdout[-3000:]

    differences = public_table_differences(original, moved, ("derived", "research"))
    # the exact ages moved with the birthdays ...
    assert differences.get("derived.proven_reoffending", 0) > 100, differences
    assert differences.get("derived.offender_histories", 0) > 100, differences
    # ... and nothing the research extract publishes did
    research = {table: rows for table, rows in differences.items() if table.startswith("research.")}
    assert set(research) <= EXACT_AGE_TABLES, research
    facts = "select * exclude (release_id, young_people_rows) from {}.research.extract_metadata"
    with duckdb.connect(str(original)) as con:
        con.execute(f"attach '{moved.as_posix()}' as moved (read_only)")
        assert con.sql(f"{facts.format('original')} except all {facts.format('moved')}").fetchall() == []

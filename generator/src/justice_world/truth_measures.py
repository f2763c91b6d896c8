"""Proven reoffending (docs/methodology.md section 2) computed from the ground truth alone.

This is an independent implementation of the headline measures, written against `truth/` rather than the
warehouse, used to calibrate the synthetic world and to validate the derived layer: the difference between
the two should come only from linkage and quarantine.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

EVENT_PRIORITY = "case event_type when 'custody_release' then 1 when 'court_order' then 2 else 3 end"

COHORT_SQL = """
with people as (
    select * from read_parquet('{truth}/people.parquet')
),

counted_offences as (
    -- proven offences that count: recordable, not breaches
    select *
    from read_parquet('{truth}/proven_offences.parquet')
    where is_recordable and not is_breach
),

offence_ranks as (
    select offence_code, min(seriousness_rank) as seriousness_rank
    from read_parquet('{truth}/proven_offences.parquet')
    group by offence_code
),

events as (
    select
        e.*,
        p.date_of_birth,
        coalesce(r.seriousness_rank, 999) as principal_rank,
        ({priority}) as event_priority,
        year(e.event_date) || '-Q' || quarter(e.event_date) as cohort_quarter
    from read_parquet('{truth}/index_events.parquet') as e
    inner join people as p using (true_person_id)
    left join offence_ranks as r on e.principal_offence_code = r.offence_code
    where e.event_date >= p.date_of_birth + interval 10 year
),

index_events as (
    select *
    from events
    qualify row_number() over (
        partition by true_person_id, cohort_quarter
        order by event_date, event_priority, principal_rank, principal_offence_code, sentence_length_days desc
    ) = 1
),

cohort as (
    select
        i.*,
        year(i.event_date) - year(i.date_of_birth)
        - case when strftime(i.event_date, '%m%d') < strftime(i.date_of_birth, '%m%d') then 1 else 0 end
            as age_at_index,
        i.event_date + interval 12 month as follow_up_end,
        i.event_date + interval 18 month as waiting_end,
        i.event_date + interval 18 month <= date '{as_of}' as has_complete_follow_up
    from index_events as i
),

reoffences as (
    select c.true_person_id, c.cohort_quarter, count(*) as reoffences, min(o.offence_date) as first_reoffence_date
    from cohort as c
    inner join counted_offences as o
        on o.true_person_id = c.true_person_id
        and o.offence_date > c.event_date
        and o.offence_date <= c.follow_up_end
        and o.proven_date <= c.waiting_end
    group by all
),

previous as (
    select c.true_person_id, c.cohort_quarter, count(*) as previous_offences
    from cohort as c
    inner join counted_offences as o
        on o.true_person_id = c.true_person_id and o.proven_date < c.event_date
    group by all
)

select
    c.true_person_id,
    c.cohort_quarter,
    c.event_date as index_date,
    c.event_type as index_event_type,
    c.disposal_type as index_disposal_type,
    c.principal_offence_code as index_offence_code,
    c.sentence_length_days,
    c.age_at_index,
    c.age_at_index < 18 as is_juvenile,
    c.has_complete_follow_up,
    coalesce(p.previous_offences, 0) as previous_offences,
    case
        when coalesce(p.previous_offences, 0) = 0 then '0'
        when p.previous_offences <= 2 then '1-2'
        when p.previous_offences <= 6 then '3-6'
        when p.previous_offences <= 10 then '7-10'
        else '11+'
    end as previous_offences_band,
    r.true_person_id is not null as is_reoffender,
    coalesce(r.reoffences, 0) as reoffences,
    r.first_reoffence_date,
    date_diff('day', c.event_date, r.first_reoffence_date) as days_to_first_reoffence
from cohort as c
left join reoffences as r using (true_person_id, cohort_quarter)
left join previous as p using (true_person_id, cohort_quarter)
"""


def cohort_relation(con: duckdb.DuckDBPyConnection, truth_dir: Path, as_of: dt.date) -> duckdb.DuckDBPyRelation:
    """One row per person per cohort quarter, with the section 2 fields, from the truth files."""
    sql = COHORT_SQL.format(truth=Path(truth_dir).as_posix(), as_of=as_of.isoformat(), priority=EVENT_PRIORITY)
    return con.sql(sql)


def headline(
    con: duckdb.DuckDBPyConnection, cohort: duckdb.DuckDBPyRelation, where: str = "true", group_by: str = ""
) -> duckdb.DuckDBPyRelation:
    """Offenders, reoffenders, rate, reoffences per reoffender over complete cohorts, optionally grouped."""
    con.register("truth_cohort", cohort)
    select_group = f"{group_by}, " if group_by else ""
    group_clause = f"group by {group_by} order by {group_by}" if group_by else ""
    return con.sql(f"""
        select {select_group}
            count(*) as offenders,
            count(*) filter (where is_reoffender) as reoffenders,
            avg(is_reoffender::int) as proven_reoffending_rate,
            sum(reoffences) as reoffences,
            sum(reoffences) / nullif(count(*) filter (where is_reoffender), 0) as reoffences_per_reoffender,
            avg(is_juvenile::int) as juvenile_share
        from truth_cohort
        where has_complete_follow_up and ({where})
        {group_clause}
    """)

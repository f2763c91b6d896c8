-- The research extract holds every row of its derived inputs, with one pseudonym per person that
-- is the same in every table and is never a person id. Returns one row per broken check; passes
-- when empty.
with

research_cohort as (

    select * from {{ ref('research__proven_reoffending') }}

),

research_histories as (

    select * from {{ ref('research__offender_histories') }}

),

research_young_people as (

    select * from {{ ref('research__young_people') }}

),

research_inputs as (

    select * from {{ ref('research__risk_model_inputs') }}

),

derived_histories as (

    select * from {{ ref('derived__offender_histories') }}

),

-- pseudonyms of the cohort, the young people and the risk model rows that are no person of the
-- offender histories, and risk model rows that are no cohort row
unmatched as (

    select 'cohort' as source_table
    from research_cohort
    left join research_histories
        on research_cohort.pseudonymous_person_id = research_histories.pseudonymous_person_id
    where research_histories.pseudonymous_person_id is null

    union all

    select 'young people' as source_table
    from research_young_people
    left join research_histories
        on research_young_people.pseudonymous_person_id = research_histories.pseudonymous_person_id
    where research_histories.pseudonymous_person_id is null

    union all

    select 'risk model inputs' as source_table
    from research_inputs
    left join research_cohort
        on
            research_inputs.pseudonymous_person_id = research_cohort.pseudonymous_person_id
            and research_inputs.cohort_quarter = research_cohort.cohort_quarter
    where research_cohort.pseudonymous_person_id is null

),

checks as (

    select
        'research.proven_reoffending rows = derived.proven_reoffending rows' as check_name,
        (select count(*) from research_cohort)
        = (select count(*) from {{ ref('derived__proven_reoffending') }}) as is_ok

    union all

    select
        'research.offender_histories rows = derived.offender_histories rows' as check_name,
        (select count(*) from research_histories)
        = (select count(*) from derived_histories) as is_ok

    union all

    select
        'research.young_people rows = derived.young_people_repeat_offending rows'
            as check_name,
        (select count(*) from research_young_people)
        = (select count(*) from {{ ref('derived__young_people_repeat_offending') }}) as is_ok

    union all

    select
        'research.risk_model_inputs rows = derived.risk_model_inputs rows' as check_name,
        (select count(*) from research_inputs)
        = (select count(*) from {{ ref('derived__risk_model_inputs') }}) as is_ok

    union all

    -- one pseudonym per person: as many pseudonyms as linked people
    select
        'one distinct pseudonym per person' as check_name,
        (select count(distinct pseudonymous_person_id) from research_histories)
        = (select count(distinct person_id) from derived_histories) as is_ok

    union all

    -- the same person has the same pseudonym in every table
    select
        'every pseudonym is a person of the histories, every risk model row a cohort row'
            as check_name,
        (select count(*) from unmatched) = 0 as is_ok

    union all

    select
        'no pseudonym is a person id' as check_name,
        not exists (
            select 1
            from research_histories
            inner join derived_histories
                on research_histories.pseudonymous_person_id = derived_histories.person_id
        ) as is_ok

)

select check_name
from checks
where not is_ok

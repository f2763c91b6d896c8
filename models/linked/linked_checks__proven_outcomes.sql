{#-
    The PNC offence outcomes that are proven (docs/methodology.md section 1): outcome code with `is_proven`
    in reference.outcome_types (a conviction or a caution) and an outcome date. A table of its own so that
    the optimiser knows how many there are when linked_checks__proven_offences joins them to people: at ten
    million people it guessed 1.8 million (of 35 million) and hashed the outcomes instead of the people,
    which does not fit in memory.
-#}

with

offence_outcomes as (

    select * from {{ ref('stg_pnc__offence_outcomes') }}

),

outcome_types as (

    select * from {{ ref('reference__outcome_types') }}

),

final as (

    select
        offence_outcomes.offence_record_id,
        offence_outcomes.pnc_id,
        offence_outcomes.offence_code,
        offence_outcomes.offence_date,
        offence_outcomes.outcome_date as proven_date,
        offence_outcomes.outcome_code,
        outcome_types.outcome_category as outcome_type,
        offence_outcomes.disposal_code,
        offence_outcomes.sentence_length_days,
        offence_outcomes.court_code
    from offence_outcomes
    inner join outcome_types on offence_outcomes.outcome_code = outcome_types.outcome_code
    where outcome_types.is_proven and offence_outcomes.outcome_date is not null

)

select * from final

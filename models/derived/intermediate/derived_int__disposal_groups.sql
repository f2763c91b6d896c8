{#-
    The disposal groups of every disposal and caution code, for a juvenile and for an adult
    (docs/methodology.md section 2; macro index_disposal_group), with whether the disposal is custody:
    one lookup read by derived.proven_reoffending, for the exact age, and by research.proven_reoffending,
    for the age on the research convention.
-#}

with

disposal_types as (

    select * from {{ ref('reference__disposal_types') }}

),

outcome_types as (

    select * from {{ ref('reference__outcome_types') }}

),

final as (

    select
        coalesce(disposal_types.disposal_code, outcome_types.outcome_code) as disposal_code,
        coalesce(disposal_types.is_custodial, false) as is_custodial,
        disposal_types.juvenile_disposal_group as disposal_juvenile_group,
        disposal_types.adult_disposal_group as disposal_adult_group,
        outcome_types.juvenile_disposal_group as caution_juvenile_group,
        outcome_types.adult_disposal_group as caution_adult_group
    from disposal_types
    full outer join outcome_types on disposal_types.disposal_code = outcome_types.outcome_code

)

select * from final

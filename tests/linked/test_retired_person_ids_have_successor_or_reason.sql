-- Every person id of the previous release that no person holds now is retired in this
-- release's history with a successor or the reason records_removed, and the history's
-- is_retired agrees with the links. Returns one row per broken id; passes when empty
-- (docs/methodology.md section 10).
with

previous_person_links as (

    select * from {{ ref('linkage__previous_person_links') }}

),

person_links as (

    select * from {{ ref('linked__person_links') }}

),

person_id_history as (

    select * from {{ ref('linked__person_id_history') }}

),

current_ids as (

    select distinct person_id
    from person_links

),

previous_ids as (

    select
        previous_person_links.person_id,
        bool_and(current_ids.person_id is null) as is_retired
    from previous_person_links
    left join current_ids
        on previous_person_links.person_id = current_ids.person_id
    group by previous_person_links.person_id

),

this_release as (

    select
        previous_person_id,
        bool_or(successor_person_id is not null or change = 'records_removed') as is_explained,
        bool_and(is_retired) as is_retired_always,
        bool_or(is_retired) as is_retired_ever
    from person_id_history
    where release_id = '{{ release_id() }}'
    group by previous_person_id

),

final as (

    select
        coalesce(previous_ids.person_id, this_release.previous_person_id) as person_id,
        case
            when previous_ids.person_id is null
                then 'history names an id the previous release did not hold'
            when previous_ids.is_retired and this_release.previous_person_id is null
                then 'retired without a history row'
            when previous_ids.is_retired and not this_release.is_explained
                then 'retired without a successor or a reason'
            when previous_ids.is_retired and not this_release.is_retired_always
                then 'retired but a history row says kept'
            when not previous_ids.is_retired and this_release.is_retired_ever
                then 'kept but a history row says retired'
        end as problem
    from previous_ids
    full outer join this_release
        on previous_ids.person_id = this_release.previous_person_id

)

select * from final
where problem is not null

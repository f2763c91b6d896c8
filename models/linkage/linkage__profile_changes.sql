{#-
    A refresh (docs/methodology.md section 10): the person records whose *profile* (their identity details,
    var linkage_profile_columns) gained, lost or changed a record since the previous release, in this
    extract (side `current`) and in the previous release (side `previous`). linkage__match_edges scores
    again only the links of the current ones and removes those of the previous ones; every other link is
    kept, since a pair's score depends on the two profiles and the model only. Windows, not joins, find
    them, since their partitions hold nulls as equal values (a missing postcode is part of a profile).
    No rows unless the build is
    a refresh (REFRESH_OF, set by `release build --refresh` to the previous release's id), which always has
    a previous release.
-#}
{%- set columns = var('linkage_profile_columns') %}
{%- set refresh = env_var('REFRESH_OF', '') %}
{%- if refresh %}
    {%- set previous_identities = previous_release_relation('linkage', 'person_identities') %}
    {%- set previous_trusted = previous_release_relation('linkage', 'trusted_pnc_ids') %}
    {%- if execute and (previous_identities is none or previous_trusted is none) %}
        {{ exceptions.raise_compiler_error(
            'A refresh of release ' ~ refresh ~ ' needs its linkage.person_identities and '
            ~ 'linkage.trusted_pnc_ids, attached as the previous release: build in full instead'
        ) }}
    {%- endif %}
{%- endif %}

with

identities as (

    select * from {{ ref('linkage__person_identities') }}

),

trusted_pnc_ids as (

    select * from {{ ref('linkage__trusted_pnc_ids') }}

),

current_records as (

    select
        record_id,
        {{ columns | join(', ') }}
    from identities
    inner join trusted_pnc_ids using (record_id)
    {%- if not refresh %}
        -- not a refresh: nothing is compared
        where false
    {%- endif %}

),

previous_records as (

    {%- if refresh %}
        select
            record_id,
            {{ columns | join(', ') }}
        from {{ previous_identities }}
        inner join {{ previous_trusted }} using (record_id)
    {%- else %}
        select * from current_records
    {%- endif %}

),

both_sides as (

    select
        'current' as side,
        *
    from current_records
    union all
    select
        'previous' as side,
        *
    from previous_records

),

record_versions as (

    -- 2 when the record is in both with the same details, 1 when it is new, gone or changed
    select
        *,
        count(*) over (partition by record_id, {{ columns | join(', ') }}) as versions
    from both_sides

),

profile_versions as (

    -- 1 when a record of the profile (in either) is new, gone or changed: the profile changed
    select
        side,
        record_id,
        min(versions) over (partition by {{ columns | join(', ') }}) as fewest_versions
    from record_versions

),

final as (

    select
        side,
        record_id
    from profile_versions
    where fewest_versions = 1

)

select * from final

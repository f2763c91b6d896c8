{#-
    The age band and the disposal group of an index event (docs/methodology.md section 2), once: the
    derived cohort applies them to the exact age, the research extract to its age on the mid-year
    convention (research_age). Documented in _derived__macros.yml.
-#}

{% macro age_band(age) -%}
    case
        when {{ age }} is null then null
        when {{ age }} <= 14 then '10-14'
        when {{ age }} <= 17 then '15-17'
        when {{ age }} <= 20 then '18-20'
        when {{ age }} <= 24 then '21-24'
        when {{ age }} <= 29 then '25-29'
        when {{ age }} <= 34 then '30-34'
        when {{ age }} <= 39 then '35-39'
        when {{ age }} <= 44 then '40-44'
        when {{ age }} <= 49 then '45-49'
        else '50+'
    end
{%- endmacro %}


{% macro index_disposal_group(is_juvenile, index_event_type, index_sentence_length_days, disposal_groups) -%}
    {#- disposal_groups: the alias of derived_int.disposal_groups joined on the index disposal type -#}
    {%- set is_custody -%}
        ({{ index_event_type }} = 'custody_release' or coalesce({{ disposal_groups }}.is_custodial, false))
    {%- endset -%}
    case
        -- custody: `Custody` for juveniles; for adults, banded by the sentence served
        when {{ is_custody }} and {{ is_juvenile }} then 'Custody'
        when {{ is_custody }} and {{ index_sentence_length_days }} < 365
            then 'Custody under 12 months'
        when {{ is_custody }} and {{ index_sentence_length_days }} < 1460
            then 'Custody 12 months to under 4 years'
        when {{ is_custody }} and {{ index_sentence_length_days }} >= 1460
            then 'Custody 4 years or more'
        when {{ is_custody }} then 'Other'
        -- otherwise the group of the disposal or caution type for the person's age
        when {{ index_event_type }} = 'caution' and {{ is_juvenile }}
            then {{ disposal_groups }}.caution_juvenile_group
        when {{ index_event_type }} = 'caution'
            then {{ disposal_groups }}.caution_adult_group
        when {{ is_juvenile }} then {{ disposal_groups }}.disposal_juvenile_group
        else {{ disposal_groups }}.disposal_adult_group
    end
{%- endmacro %}

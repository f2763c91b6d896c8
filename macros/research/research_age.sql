{#-
    The age of the research extract (docs/methodology.md section 6): an age that depends on the year of
    birth and the month of the event only, never on the day or month of birth, so that ages, age bands,
    juvenile flags and the groups that follow from them cannot narrow a date of birth below its year.
    Documented in _research__macros.yml.
-#}

{% macro research_age(event_date, year_of_birth) -%}
    {#- completed years at the event with every birthday taken as 1 July (the middle of the year of birth);
        at least 10, the age of criminal responsibility, from which every event of the extract counts -#}
    case
        when {{ event_date }} is null or {{ year_of_birth }} is null then null
        else
            cast(
                greatest(
                    10,
                    extract(year from {{ event_date }}) - {{ year_of_birth }}
                    - case when extract(month from {{ event_date }}) < 7 then 1 else 0 end
                )
                as integer
            )
    end
{%- endmacro %}


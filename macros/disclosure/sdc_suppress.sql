{#-
    Primary and secondary suppression of people counts over linear relations between cells (totals and the
    cells that add up to them). Documented in _disclosure__macros.yml; the rules are in the doc block
    sdc_rules (models/publication/_publication__docs.md).
-#}

{% macro sdc_suppress(cells, relations, stages=1, passes=none) -%}
    {%- set threshold = sdc_threshold() -%}
    {%- set passes = (passes if passes is not none else var('sdc_secondary_passes')) | int -%}
    {%- set stages = stages | int -%}
    {%- if passes < 1 or stages < 1 -%}
        {{ exceptions.raise_compiler_error("sdc_suppress: stages and passes must be positive integers") }}
    {%- endif -%}
with

sdc_input_cells as (

    select
        cell_id,
        stage,
        parent_cell_id,
        people,
        complement_people,
        {{ sdc_primary_marker('people', 'complement_people') }} as rule_marker
    from {{ cells }}

),

-- a cell listed as a child of the relation it is the total of (one cell published in two places) is
-- not a child: the relation would otherwise ask for a second cell to hide one value from itself
sdc_input_relations as (

    select distinct
        members.relation_id,
        members.cell_id,
        members.is_total
    from {{ relations }} as members
    where
        members.is_total
        or not exists (
            select 1
            from {{ relations }} as totals
            where
                totals.relation_id = members.relation_id
                and totals.is_total
                and totals.cell_id = members.cell_id
        )

),

-- the state every step reads once and passes on: every cell of every stage with each relation it is a
-- member of (a cell in none: one row, no relation). Stage 1 starts from primary suppression; a later
-- stage's cells start when it does. One chain of steps, each reading only the previous one: engines that
-- inline CTEs (Spark) would otherwise plan the inputs, and each earlier stage, once per reference.
sdc_stage_1_pass_0 as (

    select
        sdc_input_relations.relation_id,
        coalesce(sdc_input_relations.is_total, false) as is_total,
        cells.cell_id,
        cells.stage,
        cells.parent_cell_id,
        cells.people,
        cells.complement_people,
        cells.rule_marker,
        case when cells.stage = 1 then cells.rule_marker end as initial_marker,
        cells.stage = 1 and cells.rule_marker is not null as is_suppressed
    from sdc_input_cells as cells
    left join sdc_input_relations
        on cells.cell_id = sdc_input_relations.cell_id

),
{%- for stage in range(1, stages + 1) %}
{%- if stage > 1 %}

-- stage {{ stage }}: each cell's parent (a cell of an earlier stage), in the window keyed by the parent's id
sdc_stage_{{ stage }}_parents as (

    select
        *,
        max(case when stage < {{ stage }} and is_suppressed then 1 else 0 end) over (
            partition by case when stage = {{ stage }} then parent_cell_id else cell_id end
        ) as is_parent_suppressed
    from sdc_stage_{{ stage - 1 }}_pass_{{ passes }}

),

-- stage {{ stage }} starts: primary suppression, and cells whose parent is suppressed (`linked`)
sdc_stage_{{ stage }}_pass_0 as (

    select
        relation_id,
        is_total,
        cell_id,
        stage,
        parent_cell_id,
        people,
        complement_people,
        rule_marker,
        case
            when stage = {{ stage }}
                then coalesce(rule_marker, case when is_parent_suppressed = 1 then 'linked' end)
            else initial_marker
        end as initial_marker,
        case
            when stage = {{ stage }} then rule_marker is not null or is_parent_suppressed = 1
            else is_suppressed
        end as is_suppressed
    from sdc_stage_{{ stage }}_parents

),
{%- endif %}

{%- for pass in range(passes) %}

-- the children of a relation that stage {{ stage }} may still suppress
sdc_stage_{{ stage }}_members_{{ pass }} as (

    select
        *,
        stage = {{ stage }} and relation_id is not null and not is_suppressed and not is_total as is_candidate
    from sdc_stage_{{ stage }}_pass_{{ pass }}

),

-- per member, the state of its relation; and the unsuppressed children of each relation, smallest first,
-- with what the smaller ones add up to
sdc_stage_{{ stage }}_candidates_{{ pass }} as (

    select
        *,
        sum(case when is_suppressed then 1 else 0 end) over (partition by stage, relation_id)
            as suppressed_members,
        sum(case when is_suppressed and not is_total then people else 0 end)
            over (partition by stage, relation_id) as suppressed_people,
        sum(case when is_suppressed and not is_total then complement_people else 0 end)
            over (partition by stage, relation_id) as suppressed_complement,
        sum(case when complement_people is null then 1 else 0 end) over (partition by stage, relation_id)
            as members_without_complement,
        row_number() over (
            partition by stage, relation_id, is_candidate order by people, cell_id
        ) as candidate_rank,
        coalesce(sum(people) over (
            partition by stage, relation_id, is_candidate order by people, cell_id
            rows between unbounded preceding and 1 preceding
        ), 0) as people_before,
        coalesce(sum(complement_people) over (
            partition by stage, relation_id, is_candidate order by people, cell_id
            rows between unbounded preceding and 1 preceding
        ), 0) as complement_before
    from sdc_stage_{{ stage }}_members_{{ pass }}

),

-- a relation with suppressed members is safe when at least two are suppressed and the suppressed children
-- add up to the threshold (and so do their complements), its total suppressed or not: a suppressed total
-- is otherwise bounded by its published children, and a relation it shares with a small cell then narrows
-- that cell; until it is safe, its next smallest children are suppressed
sdc_stage_{{ stage }}_chosen_{{ pass }} as (

    select
        *,
        is_candidate
        and suppressed_members > 0
        and not (
            suppressed_members + candidate_rank - 1 >= 2
            and suppressed_people + people_before >= {{ threshold }}
            and (
                members_without_complement > 0
                or suppressed_complement + complement_before >= {{ threshold }}
            )
        ) as is_chosen
    from sdc_stage_{{ stage }}_candidates_{{ pass }}

),

-- a cell chosen in one of its relations is suppressed in all of them
sdc_stage_{{ stage }}_pass_{{ pass + 1 }} as (

    select
        relation_id,
        is_total,
        cell_id,
        stage,
        parent_cell_id,
        people,
        complement_people,
        rule_marker,
        initial_marker,
        max(case when is_suppressed or is_chosen then 1 else 0 end) over (partition by cell_id) = 1
            as is_suppressed
    from sdc_stage_{{ stage }}_chosen_{{ pass }}

),

{%- endfor %}
{%- endfor %}

sdc_result as (

    select distinct
        cell_id,
        case
            when initial_marker is not null then initial_marker
            when is_suppressed then 'secondary'
        end as suppression_marker
    from sdc_stage_{{ stages }}_pass_{{ passes }}

)

select
    cell_id,
    suppression_marker
from sdc_result
{%- endmacro %}

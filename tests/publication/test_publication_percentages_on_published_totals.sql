-- A percentage of a group is published only when the group's total (its `All` row) is published
-- and at least the threshold: in publication.young_people_characteristics every percentage rests on
-- the `All` category of its characteristic and offender group. Returns the rows that break this;
-- passes when empty.
select
    cells.cohort_year,
    cells.breakdown,
    cells.category,
    cells.offender_group,
    cells.percentage,
    totals.people as total_people
from {{ ref('publication__young_people_characteristics') }} as cells
left join {{ ref('publication__young_people_characteristics') }} as totals
    on
        cells.cohort_year = totals.cohort_year
        and cells.breakdown = totals.breakdown
        and cells.offender_group = totals.offender_group
        and totals.category = 'All'
where
    cells.percentage is not null
    and (
        totals.people is null
        or totals.people < {{ var('sdc_threshold') }}
        or totals.people_marker is not null
    )

-- research_age: completed years with the birthday taken as 1 July of the year of birth, from the
-- year of birth and the event's month only (30 June and 1 July, 1 January and 31 December of the
-- same year of birth give the ages of their month, whatever the day); at least 10; null for an
-- unknown date or year of birth. Returns the cases whose age differs; passes when empty.
with

cases (case_name, event_date, year_of_birth, expected) as (
    values
    ('before 1 July: one year less', cast('2020-06-30' as date), 2000, 19),
    ('from 1 July: the year difference', cast('2020-07-01' as date), 2000, 20),
    ('1 January', cast('2020-01-01' as date), 2000, 19),
    ('31 December', cast('2020-12-31' as date), 2000, 20),
    ('29 February', cast('2020-02-29' as date), 2000, 19),
    ('the 18th year, before July', cast('2018-03-15' as date), 2000, 17),
    ('the 18th year, from July', cast('2018-07-15' as date), 2000, 18),
    ('below 10 is 10', cast('2010-03-01' as date), 2000, 10),
    (
        'unknown year of birth', cast('2020-07-01' as date), cast(null as integer),
        cast(null as integer)
    ),
    ('unknown date', cast(null as date), 2000, cast(null as integer))
),

aged as (
    select
        case_name,
        expected,
        {{ repeat_offending.research_age('event_date', 'year_of_birth') }} as actual
    from cases
),

final as (
    select *
    from aged
    where actual is distinct from expected
)

select * from final

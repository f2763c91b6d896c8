-- data_dir() resolves to an absolute path without a trailing slash.
-- Returns a row when it does not; passes when empty.
with

resolved as (
    select '{{ repeat_offending.data_dir() }}' as data_dir
)

select data_dir
from resolved
where
    data_dir not like '/%'
    or (data_dir like '%/' and data_dir != '/')

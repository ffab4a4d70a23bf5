-- No activity in the fact is dated after the latest moment any activity extract was loaded: a
-- future-dated touch is a timezone or parsing error, and would be scored as not yet decayed.

with

latest_load as (

    select max(loaded_at) as latest_loaded_at
    from {{ ref('int_activities_resolved') }}

)

select
    activities.activity_id,
    activities.activity_at,
    latest_load.latest_loaded_at
from {{ ref('fct_activities') }} as activities
cross join latest_load
where activities.activity_at > latest_load.latest_loaded_at

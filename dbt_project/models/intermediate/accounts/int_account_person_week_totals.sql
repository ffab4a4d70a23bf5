-- One row per account, person and calendar week of int_account_person_weeks: the person's inbound
-- and outbound touches, whether any inbound touch was an engagement, the interest points, and the
-- person's name, department and seniority for the report's cuts. A person falls under one
-- department, seniority and name, so counting these rows counts people: no distinct count over
-- tens of millions of touches.

with

person_week_totals as (

    select
        person_weeks.account_id,
        person_weeks.person_id,
        person_weeks.week_start,
        sum(case when person_weeks.direction = 'inbound' then person_weeks.touches else 0 end)
            as inbound_touches,
        sum(case when person_weeks.direction = 'outbound' then person_weeks.touches else 0 end)
            as outbound_touches,
        max(case when person_weeks.direction = 'inbound' and person_weeks.is_engagement then 1 else 0 end)
            as is_engaged,
        sum(person_weeks.interest_points) as interest_points
    from {{ ref('int_account_person_weeks') }} as person_weeks
    group by person_weeks.account_id, person_weeks.person_id, person_weeks.week_start

),

persons as (

    select
        person_id,
        department,
        seniority,
        nullif(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), '') as person_name
    from {{ ref('dim_persons') }}

)

select
    person_week_totals.account_id,
    person_week_totals.person_id,
    person_week_totals.week_start,
    persons.person_name,
    person_week_totals.inbound_touches,
    person_week_totals.outbound_touches,
    person_week_totals.is_engaged,
    person_week_totals.interest_points,
    coalesce(persons.department, 'unknown') as department,
    coalesce(persons.seniority, 'unknown') as seniority
from person_week_totals
left join persons
    on person_week_totals.person_id = persons.person_id

-- One row per account, person and calendar week with a touch (int_account_person_week_touches):
-- the person's inbound and outbound touches, whether any inbound touch was an engagement, the
-- week's interest points (int_account_person_week_points), and the person's name, department and
-- seniority for the report's cuts. A person falls under one department, seniority and name, so
-- counting these rows counts people: no distinct count over tens of millions of touches.

with

person_week_touches as (

    select
        account_id,
        person_id,
        week_start,
        sum(case when direction = 'inbound' then touches else 0 end) as inbound_touches,
        sum(case when direction = 'outbound' then touches else 0 end) as outbound_touches,
        max(case when direction = 'inbound' and is_engagement then 1 else 0 end) as is_engaged
    from {{ ref('int_account_person_week_touches') }}
    group by account_id, person_id, week_start

),

person_week_points as (

    select
        account_id,
        person_id,
        week_start,
        sum(interest_points) as interest_points
    from {{ ref('int_account_person_week_points') }}
    group by account_id, person_id, week_start

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
    person_week_touches.account_id,
    person_week_touches.person_id,
    person_week_touches.week_start,
    persons.person_name,
    person_week_touches.inbound_touches,
    person_week_touches.outbound_touches,
    person_week_touches.is_engaged,
    coalesce(person_week_points.interest_points, 0) as interest_points,
    coalesce(persons.department, 'unknown') as department,
    coalesce(persons.seniority, 'unknown') as seniority
from person_week_touches
left join person_week_points
    on
        person_week_touches.account_id = person_week_points.account_id
        and person_week_touches.person_id = person_week_points.person_id
        and person_week_touches.week_start = person_week_points.week_start
left join persons
    on person_week_touches.person_id = persons.person_id

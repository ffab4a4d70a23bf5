-- One row per account, person and calendar week with a touch (int_account_person_week_touches):
-- the person's inbound and outbound touches, whether any inbound touch was an engagement, the
-- interest points the week earned in model 'core', and the person's name, department and seniority
-- for the report's cuts. A person falls under one department, seniority and name, so counting these
-- rows counts people: no distinct count over tens of millions of touches.
-- Kept from one build to the next per account and week: a daily build computes again only the
-- weeks of the people whose touches were counted again, whose person records changed, or whose
-- name, department or seniority changed, and keeps the rest (macros/engagement_weeks.sql).

-- depends_on: {{ ref('int_person_record_versions') }}
-- depends_on: {{ ref('int_person_golden_records') }}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ refresh_account_person_week_totals() }}",
        post_hook="{{ forget_refreshed_keys('weeks_refreshed') }}"
    )
}}

with

person_week_touches as (

    select
        touches.account_id,
        touches.person_id,
        touches.week_start,
        sum(case when touches.direction = 'inbound' then touches.touches else 0 end) as inbound_touches,
        sum(case when touches.direction = 'outbound' then touches.touches else 0 end) as outbound_touches,
        max(
            case when touches.direction = 'inbound' and touches.is_engagement then 1 else 0 end
        ) as is_engaged,
        sum(touches.interest_points) as interest_points
    from {{ ref('int_account_person_week_touches') }} as touches
    where {{ engagement_week_is_refreshed('touches') }}
    group by touches.account_id, touches.person_id, touches.week_start

),

persons as (

    {{ engagement_person_profiles() }}

)

select
    person_week_touches.account_id,
    person_week_touches.person_id,
    person_week_touches.week_start,
    persons.person_name,
    person_week_touches.inbound_touches,
    person_week_touches.outbound_touches,
    person_week_touches.is_engaged,
    person_week_touches.interest_points,
    coalesce(persons.department, 'unknown') as department,
    coalesce(persons.seniority, 'unknown') as seniority,
    {{ run_started_timestamp() }} as refreshed_at
from person_week_touches
left join persons
    on person_week_touches.person_id = persons.person_id

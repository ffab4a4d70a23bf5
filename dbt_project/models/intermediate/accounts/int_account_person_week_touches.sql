-- The touches of each person with an account up to the scoring date: one row per account, person,
-- calendar week (Monday start), event type and direction, with the number of activities
-- (fct_activities). Touches are history: a daily build counts again only the people whose touches
-- can have changed since its last build, and keeps everyone else's rows (macros/account_touches.sql).
-- Interest points, which change every day as they decay, are int_account_person_week_points.

-- depends_on: {{ ref('int_activities_resolved') }}
-- depends_on: {{ ref('int_person_record_versions') }}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ recount_touch_persons() }}"
    )
}}

with

as_of as (

    select as_of_date from {{ ref('int_scoring_as_of') }}

),

resolved_through as (

    select max(resolved_at) as resolved_through
    from {{ ref('int_activities_resolved') }}

),

touches as (

    select
        activities.account_id,
        activities.person_id,
        cast({{ dbt.date_trunc('week', 'activities.activity_date') }} as date) as week_start,
        activities.event_type,
        activities.direction,
        coalesce(activities.is_engagement, false) as is_engagement,
        cast(count(*) as {{ dbt.type_bigint() }}) as touches
    from {{ ref('fct_activities') }} as activities
    cross join as_of
    where
        activities.account_id is not null
        and activities.activity_date <= as_of.as_of_date
        and {{ touch_persons_to_count('activities') }}
    group by
        activities.account_id,
        activities.person_id,
        cast({{ dbt.date_trunc('week', 'activities.activity_date') }} as date),
        activities.event_type,
        activities.direction,
        coalesce(activities.is_engagement, false)

)

select
    touches.account_id,
    touches.person_id,
    touches.week_start,
    touches.event_type,
    touches.direction,
    touches.is_engagement,
    touches.touches,
    as_of.as_of_date,
    resolved_through.resolved_through
from touches
cross join as_of
cross join resolved_through

-- The touches of each person with an account up to the scoring date: one row per account, person,
-- calendar week (Monday start), event type and direction, with the number of activities
-- (fct_activities) and the interest points they earned in model 'core': each event's points after
-- the cap of its calendar cap window, before decay (macro capped_interest_events, over all history).
-- Neither changes as the scoring date moves on, so touches and points are history: a daily build
-- counts again only the people whose touches can have changed since its last build, and everyone
-- when the rules of 'core' changed, and keeps everyone else's rows (macros/account_touches.sql).
-- refreshed_at, the start of the run that counted the row, tells the engagement report's models
-- which weeks to compute again (macros/engagement_weeks.sql).

-- depends_on: {{ ref('int_activities_resolved') }}
-- depends_on: {{ ref('int_person_record_versions') }}
-- depends_on: {{ ref('interest_rules') }}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ recount_touch_persons() }}",
        post_hook="{{ forget_refreshed_keys('persons_recounted') }}"
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

counted_activities as (

    select
        activities.activity_id,
        activities.account_id,
        activities.person_id,
        activities.activity_at,
        activities.activity_date,
        cast({{ dbt.date_trunc('week', 'activities.activity_date') }} as date) as week_start,
        activities.event_type,
        activities.direction,
        coalesce(activities.is_engagement, false) as is_engagement
    from {{ ref('fct_activities') }} as activities
    cross join as_of
    where
        activities.account_id is not null
        and activities.activity_date <= as_of.as_of_date
        and {{ touch_persons_to_count('activities') }}

),

touches as (

    select
        account_id,
        person_id,
        week_start,
        event_type,
        direction,
        is_engagement,
        cast(count(*) as {{ dbt.type_bigint() }}) as touches
    from counted_activities
    group by account_id, person_id, week_start, event_type, direction, is_engagement

),

-- Only events of a type 'core' has a rule for can earn points.
interest_activities as (

    select counted_activities.*
    from counted_activities
    where counted_activities.event_type in (
        select rules.event_type
        from {{ ref('interest_rules') }} as rules
        where rules.model_id = 'core'
    )

),

earning_persons as (

    select distinct
        interest_activities.person_id,
        'core' as model_id,
        as_of.as_of_date
    from interest_activities
    cross join as_of

),

earned_events as (

    {{ capped_interest_events(
        'earning_persons',
        'interest_activities',
        within_reach=false,
        carried=['account_id', 'week_start', 'direction', 'is_engagement']
    ) }}

),

earned_points as (

    select
        account_id,
        person_id,
        week_start,
        event_type,
        direction,
        is_engagement,
        sum(points_before_decay) as interest_points
    from earned_events
    group by account_id, person_id, week_start, event_type, direction, is_engagement

)

select
    touches.account_id,
    touches.person_id,
    touches.week_start,
    touches.event_type,
    touches.direction,
    touches.is_engagement,
    touches.touches,
    coalesce(earned_points.interest_points, 0) as interest_points,
    as_of.as_of_date,
    resolved_through.resolved_through,
    {{ touch_points_fingerprint() }} as points_fingerprint,
    {{ run_started_timestamp() }} as refreshed_at
from touches
left join earned_points
    on
        touches.account_id = earned_points.account_id
        and touches.person_id = earned_points.person_id
        and touches.week_start = earned_points.week_start
        and touches.event_type = earned_points.event_type
        and touches.direction = earned_points.direction
        and touches.is_engagement = earned_points.is_engagement
cross join as_of
cross join resolved_through

-- Each event's interest points after the cap, before decay, for every person with activities and
-- every scoring model that has a rule for the event's type: the rule's points, scaled down when the
-- person's raw points of that type within the event's cap window exceed the cap
-- (macro capped_interest_events). Cap windows are fixed calendar periods, so these points stay
-- the same from day to day; int_interest_events_decayed decays them to the scoring date for the
-- people each model scores. Kept are the events within the longest lookback.
-- A daily build caps again only the people whose points can have changed since its last build
-- (macros/persons_recounted.sql), everyone when the rules changed, and keeps everyone else's rows
-- (macros/capped_interest_history.sql).

-- depends_on: {{ ref('int_activities_resolved') }}
-- depends_on: {{ ref('int_person_record_versions') }}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ recount_capped_interest_persons() }}"
    )
}}

{% set scoring_date = scoring_date_literal() %}

with

-- Only activities that can count on the scoring date, for their own points or their cap window's:
-- the date and the reach are literals, so the planner sees how many pass.
recent_activities as (

    select activities.*
    from {{ ref('fct_activities') }} as activities
    where
        activities.person_id is not null
        and activities.activity_date
        >= {{ dbt.dateadd('day', '-1 * ' ~ max_interest_reach_literal(), scoring_date) }}
        and {{ person_is_recounted('activities') }}

),

capped_persons as (

    select
        persons.person_id,
        models.model_id,
        {{ scoring_date }} as as_of_date
    from (select distinct recent_activities.person_id from recent_activities) as persons
    cross join {{ ref('scoring_models') }} as models

),

capped as (

    {{ capped_interest_events('capped_persons', 'recent_activities') }}

),

resolved_through as (

    select max(resolved_at) as resolved_through
    from {{ ref('int_activities_resolved') }}

)

select
    capped.person_id,
    capped.model_id,
    capped.activity_id,
    capped.event_type,
    capped.activity_at,
    capped.activity_date,
    capped.base_points,
    capped.half_life_days,
    capped.description,
    capped.cap_factor,
    capped.points_before_decay,
    capped.as_of_date,
    resolved_through.resolved_through,
    {{ interest_rules_fingerprint() }} as rules_fingerprint
from capped
cross join resolved_through
where
    {{ dbt.datediff('capped.activity_date', 'capped.as_of_date', 'day') }}
    < {{ max_interest_lookback_literal() }}

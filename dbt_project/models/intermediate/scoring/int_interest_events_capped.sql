-- Each scored event's interest points after its cap, before decay: the rule's points, scaled down
-- when the person's raw points of that type within the event's cap window (a calendar period)
-- exceed the cap (macro capped_interest_events). Kept are the events on or before the scoring date
-- and within the model's lookback, for the people each model scores, and for each of those people
-- one row with no event (activity_id null) that records whom the build scored.
-- Cap windows are calendar periods, so an event's capped points stay the same from day to day
-- until an event of its window arrives: a daily build caps again only the people whose points can
-- have changed (macros/interest_events_kept.sql) and keeps everyone else's rows; the decay, which
-- changes every day, is applied when int_interest_events_decayed (a view) is read. Writing every
-- scored event's decayed points again each day was most of the daily cost of the old table (16.4M
-- rows on large: 2.2 s to compute, 15 s to write; docs/decisions.md, "Interest decays when read").

-- depends_on: {{ ref('int_activities_resolved') }}
-- depends_on: {{ ref('int_person_record_versions') }}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook=["{{ recount_interest_persons() }}", "{{ forget_aged_interest_events() }}"],
        post_hook="{{ forget_refreshed_keys('persons_recounted') }}"
    )
}}

{% set scoring_date = scoring_date_literal() %}

with

scored_persons as (

    select
        persons.person_id,
        persons.model_id,
        {{ scoring_date }} as as_of_date
    from {{ ref('int_scoring_model_persons') }} as persons
    where {{ key_is_refreshed('persons_recounted', ['person_id'], 'persons') }}

),

-- Only activities that can count on the scoring date, for their own points or for their cap
-- window's, can matter: the date and the reach (the longest lookback plus cap window) are literals
-- (macros/scoring_date_literal.sql), so the planner sees how many activities pass and hashes the
-- scored people, not the activities.
recent_activities as (

    select activities.*
    from {{ ref('fct_activities') }} as activities
    where
        activities.activity_date
        >= {{ dbt.dateadd('day', '-1 * ' ~ max_interest_reach_literal(), scoring_date) }}
        and {{ key_is_refreshed('persons_recounted', ['person_id'], 'activities') }}

),

capped as (

    {{ capped_interest_events('scored_persons', 'recent_activities') }}

),

models as (

    select
        model_id,
        interest_lookback_days
    from {{ ref('scoring_models') }}

),

kept as (

    select
        capped.person_id,
        capped.model_id,
        capped.activity_id,
        capped.event_type,
        capped.activity_at,
        capped.activity_date,
        capped.cap_factor,
        capped.points_before_decay,
        capped.interest_lookback_days
    from capped
    where
        {{ dbt.datediff('capped.activity_date', 'capped.as_of_date', 'day') }}
        < capped.interest_lookback_days

    union all

    select
        scored_persons.person_id,
        scored_persons.model_id,
        cast(null as {{ dbt.type_string() }}) as activity_id,
        cast(null as {{ dbt.type_string() }}) as event_type,
        cast(null as {{ dbt.type_timestamp() }}) as activity_at,
        cast(null as date) as activity_date,
        cast(null as {{ type_double() }}) as cap_factor,
        cast(null as {{ type_double() }}) as points_before_decay,
        models.interest_lookback_days
    from scored_persons
    inner join models on scored_persons.model_id = models.model_id

),

resolved_through as (

    select max(resolved_at) as resolved_through
    from {{ ref('int_activities_resolved') }}

)

select
    kept.*,
    {{ scoring_date }} as as_of_date,
    resolved_through.resolved_through,
    {{ interest_caps_fingerprint() }} as rules_fingerprint,
    {{ run_started_timestamp() }} as refreshed_at
from kept
cross join resolved_through

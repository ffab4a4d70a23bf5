-- Each event's interest points as of the scoring date: the rule's points, scaled down when the
-- person's raw points of that type within the event's cap window (a calendar period) exceed the
-- cap, then decayed by 0.5 ^ (age_days / half_life_days). Only events on or before the scoring
-- date count (point in time), and none older than the model's lookback. The arithmetic lives in
-- the macros capped_interest_events and decayed_interest_events, shared with the backtests of
-- int_learning_rule_scores.

{% set scoring_date = scoring_date_literal() %}

with

scored_persons as (

    select
        person_id,
        model_id,
        rule_version,
        {{ scoring_date }} as as_of_date
    from {{ ref('int_scoring_model_persons') }}

),

-- Only activities that can count on the scoring date, for their own points or for their cap
-- window's, can matter: filtering them first keeps years of history out of the join with every
-- scored person. The date and the reach (the longest lookback plus cap window) are literals
-- (macros/scoring_date_literal.sql), so the planner sees how many activities pass and hashes the
-- scored people, not the activities.
recent_activities as (

    select activities.*
    from {{ ref('fct_activities') }} as activities
    where
        activities.activity_date
        >= {{ dbt.dateadd('day', '-1 * ' ~ max_interest_reach_literal(), scoring_date) }}

),

capped as (

    {{ capped_interest_events('scored_persons', 'recent_activities') }}

),

decayed as (

    {{ decayed_interest_events('capped') }}

)

select * from decayed

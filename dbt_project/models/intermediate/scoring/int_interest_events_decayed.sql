-- Each event's interest points as of the scoring date: the rule's points, scaled down when the
-- person's raw points of that type within one cap window exceed the cap, then decayed by
-- 0.5 ^ (age_days / half_life_days). Only events on or before the scoring date count (point in
-- time), and none older than the model's lookback. The arithmetic lives in the macro
-- decayed_interest_events, shared with the backtests of int_learning_rule_scores.

with

scored_persons as (

    select
        model_persons.person_id,
        model_persons.model_id,
        model_persons.rule_version,
        as_of.as_of_date
    from {{ ref('int_scoring_model_persons') }} as model_persons
    cross join {{ ref('int_scoring_as_of') }} as as_of

),

-- Only activities within the longest lookback before the scoring date can count: filtering them
-- first keeps years of history out of the join with every scored person.
earliest_counted as (

    select {{ dbt.dateadd('day', '-1 * lookbacks.max_lookback_days', 'as_of.as_of_date') }} as earliest_date
    from (
        select max(interest_lookback_days) as max_lookback_days
        from {{ ref('scoring_models') }}
    ) as lookbacks
    cross join {{ ref('int_scoring_as_of') }} as as_of

),

recent_activities as (

    select activities.*
    from {{ ref('fct_activities') }} as activities
    where activities.activity_date >= (select earliest_counted.earliest_date from earliest_counted)

),

decayed as (

    {{ decayed_interest_events('scored_persons', 'recent_activities') }}

)

select * from decayed

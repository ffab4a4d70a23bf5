-- Each event's interest points as of the scoring date, for the people each model scores: the
-- capped points (int_interest_events_capped) decayed by 0.5 ^ (age_days / half_life_days). Only
-- events on or before the scoring date count (point in time), and none older than the model's
-- lookback. The arithmetic lives in the macros capped_interest_events and decayed_interest_events,
-- shared with the backtests of int_learning_rule_scores.

with

scored_events as (

    select
        capped.person_id,
        capped.model_id,
        as_of.as_of_date,
        persons.rule_version,
        capped.activity_id,
        capped.event_type,
        capped.activity_at,
        capped.activity_date,
        capped.base_points,
        capped.half_life_days,
        capped.description,
        capped.cap_factor,
        capped.points_before_decay
    from {{ ref('int_interest_events_capped') }} as capped
    inner join {{ ref('int_scoring_model_persons') }} as persons
        on
            capped.person_id = persons.person_id
            and capped.model_id = persons.model_id
    cross join {{ ref('int_scoring_as_of') }} as as_of

),

decayed as (

    {{ decayed_interest_events('scored_events') }}

)

select * from decayed

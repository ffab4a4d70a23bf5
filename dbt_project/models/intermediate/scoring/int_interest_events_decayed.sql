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

decayed as (

    {{ decayed_interest_events('scored_persons') }}

)

select * from decayed

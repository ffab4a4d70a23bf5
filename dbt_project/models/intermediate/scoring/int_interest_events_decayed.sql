-- Each scored event's interest points as of the scoring date: its capped points (kept in
-- int_interest_events_capped), decayed by 0.5 ^ (age_days / half_life_days). Only events on or
-- before the scoring date count (point in time), and none older than the model's lookback. The
-- arithmetic lives in the macro decayed_interest_events, shared with the backtests of
-- int_learning_rule_scores.
-- A view: the decay changes every event's points every day, and its readers (the person and
-- account scores, the ledger) read the kept points with the rule's half-life in one pass as fast
-- as a table of them, which took 15 s a day to write on large (docs/decisions.md, "Interest decays
-- when read").

{{ config(materialized='view') }}

with

as_of as (

    select as_of_date from {{ ref('int_scoring_as_of') }}

),

kept_events as (

    select
        kept.person_id,
        kept.model_id,
        as_of.as_of_date,
        models.rule_version,
        kept.activity_id,
        kept.event_type,
        kept.activity_at,
        kept.activity_date,
        rules.points as base_points,
        rules.half_life_days,
        rules.description,
        kept.cap_factor,
        kept.points_before_decay,
        models.interest_lookback_days
    from {{ ref('int_interest_events_capped') }} as kept
    cross join as_of
    inner join {{ ref('scoring_models') }} as models on kept.model_id = models.model_id
    inner join {{ ref('interest_rules') }} as rules
        on kept.model_id = rules.model_id and kept.event_type = rules.event_type
    where
        kept.activity_id is not null
        and kept.activity_date <= as_of.as_of_date

),

decayed as (

    {{ decayed_interest_events('kept_events') }}

)

select * from decayed

-- Each event's interest points as of the scoring date: the rule's points, scaled down when the
-- person's raw points of that type within one cap window exceed the cap, then decayed by
-- 0.5 ^ (age_days / half_life_days). Only events on or before the scoring date count (point in
-- time), and none older than the model's lookback.

with

as_of as (

    select as_of_date from {{ ref('int_scoring_as_of') }}

),

model_persons as (

    select * from {{ ref('int_scoring_model_persons') }}

),

models as (

    select
        model_id,
        interest_lookback_days
    from {{ ref('scoring_models') }}

),

rules as (

    select * from {{ ref('interest_rules') }}

),

events as (

    select
        model_persons.person_id,
        model_persons.model_id,
        model_persons.rule_version,
        activities.activity_id,
        activities.event_type,
        activities.activity_at,
        activities.activity_date,
        rules.points as base_points,
        rules.half_life_days,
        rules.cap_points,
        rules.cap_window_days,
        rules.description,
        {{ dbt.datediff('activities.activity_date', 'as_of.as_of_date', 'day') }} as age_days
    from model_persons
    inner join {{ ref('fct_activities') }} as activities
        on model_persons.person_id = activities.person_id
    inner join rules
        on
            model_persons.model_id = rules.model_id
            and activities.event_type = rules.event_type
    inner join models on model_persons.model_id = models.model_id
    cross join as_of
    where
        activities.activity_date <= as_of.as_of_date
        and {{ dbt.datediff('activities.activity_date', 'as_of.as_of_date', 'day') }}
        < models.interest_lookback_days

),

windowed as (

    select
        events.*,
        case
            when events.cap_window_days is not null
                then floor(events.age_days / events.cap_window_days)
        end as cap_window
    from events

),

capped as (

    select
        windowed.*,
        sum(windowed.base_points) over (
            partition by windowed.person_id, windowed.model_id, windowed.event_type, windowed.cap_window
        ) as window_raw_points
    from windowed

),

decayed as (

    select
        person_id,
        model_id,
        rule_version,
        activity_id,
        event_type,
        activity_at,
        activity_date,
        age_days,
        base_points,
        description,
        case
            when cap_points is not null and window_raw_points > cap_points
                then cap_points / window_raw_points
            else 1.0
        end as cap_factor,
        power(0.5, age_days / half_life_days) as decay_factor
    from capped

)

select
    decayed.*,
    decayed.base_points * decayed.cap_factor as points_before_decay,
    decayed.base_points * decayed.cap_factor * decayed.decay_factor as points
from decayed

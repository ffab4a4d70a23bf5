{#
    Each event's interest points as of a scoring date, for the people (and dates) in `scored_persons`
    (a relation or CTE with person_id, model_id, rule_version, as_of_date): the rule's points,
    scaled down when the person's raw points of that type within one cap window exceed the cap,
    then decayed by 0.5 ^ (age_days / half_life_days). Only events on or before the scoring date
    count (point in time), and none older than the model's lookback. Used for the scoring date
    (int_interest_events_decayed) and for every past cutoff a learned model is validated on.
    `activities` (default fct_activities) may be a CTE of just the activities recent enough to count.
#}
{% macro decayed_interest_events(scored_persons, activities=none) -%}
    select
        decayed.*,
        decayed.base_points * decayed.cap_factor as points_before_decay,
        decayed.base_points * decayed.cap_factor * decayed.decay_factor as points
    from (
        select
            capped.person_id,
            capped.model_id,
            capped.as_of_date,
            capped.rule_version,
            capped.activity_id,
            capped.event_type,
            capped.activity_at,
            capped.activity_date,
            capped.age_days,
            capped.base_points,
            capped.description,
            case
                when capped.cap_points is not null and capped.window_raw_points > capped.cap_points
                    then capped.cap_points / capped.window_raw_points
                else 1.0
            end as cap_factor,
            power(0.5, capped.age_days / capped.half_life_days) as decay_factor
        from (
            select
                windowed.*,
                sum(windowed.base_points) over (
                    partition by
                        windowed.person_id,
                        windowed.model_id,
                        windowed.as_of_date,
                        windowed.event_type,
                        windowed.cap_window
                ) as window_raw_points
            from (
                select
                    scored.person_id,
                    scored.model_id,
                    scored.as_of_date,
                    scored.rule_version,
                    activities.activity_id,
                    activities.event_type,
                    activities.activity_at,
                    activities.activity_date,
                    rules.points as base_points,
                    rules.half_life_days,
                    rules.cap_points,
                    rules.cap_window_days,
                    rules.description,
                    {{ dbt.datediff('activities.activity_date', 'scored.as_of_date', 'day') }} as age_days,
                    case
                        when rules.cap_window_days is not null
                            then floor(
                                {{ dbt.datediff('activities.activity_date', 'scored.as_of_date', 'day') }}
                                / rules.cap_window_days
                            )
                    end as cap_window
                from {{ scored_persons }} as scored
                inner join {{ activities if activities is not none else ref('fct_activities') }} as activities
                    on scored.person_id = activities.person_id
                inner join {{ ref('interest_rules') }} as rules
                    on
                        scored.model_id = rules.model_id
                        and activities.event_type = rules.event_type
                inner join {{ ref('scoring_models') }} as models on scored.model_id = models.model_id
                where
                    activities.activity_date <= scored.as_of_date
                    and {{ dbt.datediff('activities.activity_date', 'scored.as_of_date', 'day') }}
                    < models.interest_lookback_days
            ) as windowed
        ) as capped
    ) as decayed
{%- endmacro %}

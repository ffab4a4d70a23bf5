{#
    Interest points of events, in two steps shared by the scoring date and the backtests.

    capped_interest_events(scored_persons, activities): each event's points after the cap, as of a
    scoring date, for the people (and dates) in `scored_persons` (a relation or CTE with person_id,
    model_id, as_of_date, and any other columns, which are carried along): the rule's points, scaled
    down when the person's raw points of that type within the event's cap window exceed the cap.
    Cap windows are periods of cap_window_days days counted from 1970-01-01, the same for every
    scoring date, so an event's capped points do not change as the scoring date moves on, until
    another event of its window arrives. The cap counts every event of the window on or before the
    scoring date, also one too old to be scored itself. Events after the scoring date are never
    read (point in time). Every event that a window within the model's lookback can hold has a row:
    those in the lookback, and those up to cap_window_days before it.
    `activities` (default fct_activities) may be a CTE of just the activities recent enough to count
    (within the longest lookback plus cap window). With `within_reach` false, every event on or
    before the scoring date has a row, however old: the points each event earned when it happened,
    for a report of the points each week earned (int_account_person_week_touches). `carried` names
    more columns of `activities` to carry along.

    decayed_interest_events(capped_events): those within the model's lookback (interest_lookback_days,
    carried by capped_interest_events), decayed to their scoring date by
    0.5 ^ (age_days / half_life_days). `capped_events` has the columns of capped_interest_events
    plus rule_version.
#}
{% macro capped_interest_events(scored_persons, activities=none, within_reach=true, carried=[]) -%}
    select
        capped.*,
        capped.base_points * capped.cap_factor as points_before_decay
    from (
        select
            windowed.*,
            case
                when windowed.cap_points is not null and windowed.window_raw_points > windowed.cap_points
                    then windowed.cap_points / windowed.window_raw_points
                else 1.0
            end as cap_factor
        from (
            select
                events.*,
                sum(events.base_points) over (
                    partition by
                        events.person_id,
                        events.model_id,
                        events.as_of_date,
                        events.event_type,
                        events.cap_window
                ) as window_raw_points
            from (
                select
                    scored.*,
                    activities.activity_id,
                    activities.event_type,
                    activities.activity_at,
                    activities.activity_date,
                    {% for column in carried %}
                        activities.{{ column }},
                    {% endfor %}
                    rules.points as base_points,
                    rules.half_life_days,
                    rules.cap_points,
                    rules.cap_window_days,
                    rules.description,
                    models.interest_lookback_days,
                    case
                        when rules.cap_window_days is not null
                            then floor(
                                {{ dbt.datediff("cast('1970-01-01' as date)", 'activities.activity_date', 'day') }}
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
                    {% if within_reach %}
                        and {{ dbt.datediff('activities.activity_date', 'scored.as_of_date', 'day') }}
                        < models.interest_lookback_days + coalesce(rules.cap_window_days, 0)
                    {% endif %}
            ) as events
        ) as windowed
    ) as capped
{%- endmacro %}

{% macro decayed_interest_events(capped_events) -%}
    select
        aged.person_id,
        aged.model_id,
        aged.as_of_date,
        aged.rule_version,
        aged.activity_id,
        aged.event_type,
        aged.activity_at,
        aged.activity_date,
        aged.age_days,
        aged.base_points,
        aged.description,
        aged.cap_factor,
        power(0.5, aged.age_days / aged.half_life_days) as decay_factor,
        aged.points_before_decay,
        aged.points_before_decay * power(0.5, aged.age_days / aged.half_life_days) as points
    from (
        select
            capped.*,
            {{ dbt.datediff('capped.activity_date', 'capped.as_of_date', 'day') }} as age_days
        from {{ capped_events }} as capped
    ) as aged
    where aged.age_days < aged.interest_lookback_days
{%- endmacro %}

-- Every contribution to every score as of the scoring date: one row per person, model and
-- matching fit rule or scored event, with points before and after decay, plus one
-- `interest_floor` row where negative events would take interest below zero. Any score is the
-- sum of its ledger rows (fit_score: component fit; interest_score: interest and interest_floor).
--
-- A view over the tables it unions: written as a table it copied every scored event of
-- int_interest_events_decayed again each day (21.5M rows, 12.5 s on large), and its two readers
-- were no slower reading the view (docs/decisions.md, "The score ledger is a view").

{{ config(materialized='view') }}

with

as_of as (

    select as_of_date from {{ ref('int_scoring_as_of') }}

),

fit_rows as (

    select
        matched.person_id,
        matched.model_id,
        as_of.as_of_date,
        'fit' as component,
        matched.rule_id as contribution_id,
        matched.rule_id as rule_or_event,
        cast(null as {{ dbt.type_timestamp() }}) as event_at,
        cast(null as {{ dbt.type_int() }}) as age_days,
        matched.points as base_points,
        1.0 as cap_factor,
        1.0 as decay_factor,
        matched.points as points_before_decay,
        matched.points,
        matched.description
        || ' ('
        || matched.attribute
        || ' = '
        || coalesce(matched.attribute_value, 'missing')
        || ')'
            as reason,
        matched.rule_version
    from {{ ref('int_fit_rules_matched') }} as matched
    cross join as_of

),

interest_rows as (

    select
        events.person_id,
        events.model_id,
        as_of.as_of_date,
        'interest' as component,
        events.activity_id as contribution_id,
        events.event_type as rule_or_event,
        events.activity_at as event_at,
        events.age_days,
        events.base_points,
        events.cap_factor,
        events.decay_factor,
        events.points_before_decay,
        events.points,
        events.description as reason,
        events.rule_version
    from {{ ref('int_interest_events_decayed') }} as events
    cross join as_of

),

floor_rows as (

    select
        person_id,
        model_id,
        as_of_date,
        'interest_floor' as component,
        'interest_floor' as contribution_id,
        'interest_floor' as rule_or_event,
        cast(null as {{ dbt.type_timestamp() }}) as event_at,
        cast(null as {{ dbt.type_int() }}) as age_days,
        -interest_points as base_points,
        1.0 as cap_factor,
        1.0 as decay_factor,
        -interest_points as points_before_decay,
        -interest_points as points,
        'Interest floored at zero (negative events outweighed the positive ones)' as reason,
        rule_version
    from {{ ref('int_person_scores_routed') }}
    where interest_points < 0

),

ledger as (

    select * from fit_rows
    union all
    select * from interest_rows
    union all
    select * from floor_rows

)

select * from ledger

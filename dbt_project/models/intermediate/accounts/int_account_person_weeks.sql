-- One row per account, person, calendar week (Monday start), event type and direction up to the
-- scoring date: the touches of a person with an account (int_account_person_week_touches, kept
-- from day to day) and the interest points they carry in model 'core' on the scoring date
-- (fct_score_ledger, which changes every day as points decay). The grain rpt_account_engagement's
-- breakdowns add up from: a table, so that the report's four cuts read it instead of holding the
-- aggregate of tens of millions of touches in memory (the report ran out of DuckDB's 4 GB on
-- large when it was one query).

with

touches as (

    select
        account_id,
        person_id,
        week_start,
        event_type,
        direction,
        is_engagement,
        touches
    from {{ ref('int_account_person_week_touches') }}

),

-- The ledger's interest rows on the scoring date are touches on or before that date
-- (int_interest_events_decayed), of a person with that account: each is counted in a row of
-- `touches`, and the points are added to it.
scored_touches as (

    select
        activities.account_id,
        activities.person_id,
        cast({{ dbt.date_trunc('week', 'activities.activity_date') }} as date) as week_start,
        activities.event_type,
        activities.direction,
        coalesce(activities.is_engagement, false) as is_engagement,
        ledger.points
    from {{ ref('fct_score_ledger') }} as ledger
    inner join {{ ref('fct_activities') }} as activities
        on
            ledger.contribution_id = activities.activity_id
            and ledger.person_id = activities.person_id
    where
        ledger.as_of_date = (select as_of.as_of_date from {{ ref('int_scoring_as_of') }} as as_of)
        and ledger.model_id = 'core'
        and ledger.component = 'interest'
        and activities.account_id is not null

),

week_points as (

    select
        account_id,
        person_id,
        week_start,
        event_type,
        direction,
        is_engagement,
        sum(points) as interest_points
    from scored_touches
    group by account_id, person_id, week_start, event_type, direction, is_engagement

)

select
    touches.account_id,
    touches.person_id,
    touches.week_start,
    touches.event_type,
    touches.direction,
    touches.is_engagement,
    touches.touches,
    coalesce(week_points.interest_points, 0) as interest_points
from touches
left join week_points
    on
        touches.account_id = week_points.account_id
        and touches.person_id = week_points.person_id
        and touches.week_start = week_points.week_start
        and touches.event_type = week_points.event_type
        and touches.direction = week_points.direction
        and touches.is_engagement = week_points.is_engagement

-- One row per account, person, calendar week (Monday start), event type and direction up to the
-- scoring date: the touches of a person with an account and the interest points they carry in
-- model 'core' on the scoring date (fct_score_ledger). The grain rpt_account_engagement's
-- breakdowns add up from: a table, so that the report's four cuts read it instead of holding the
-- aggregate of tens of millions of touches in memory (the report ran out of DuckDB's 4 GB on
-- large when it was one query).

with

as_of as (

    select as_of_date from {{ ref('int_scoring_as_of') }}

),

activities as (

    select
        activities.activity_id,
        activities.person_id,
        activities.account_id,
        activities.event_type,
        activities.activity_date,
        activities.direction,
        activities.is_engagement
    from {{ ref('fct_activities') }} as activities
    cross join as_of
    where
        activities.account_id is not null
        and activities.activity_date <= as_of.as_of_date

),

-- One row per activity of each scored event; activities that did not score have none.
interest_points as (

    select
        ledger.person_id,
        ledger.contribution_id as activity_id,
        ledger.points
    from {{ ref('fct_score_ledger') }} as ledger
    inner join as_of
        on ledger.as_of_date = as_of.as_of_date
    where
        ledger.model_id = 'core'
        and ledger.component = 'interest'

),

person_weeks as (

    select
        activities.account_id,
        activities.person_id,
        cast({{ dbt.date_trunc('week', 'activities.activity_date') }} as date) as week_start,
        activities.event_type,
        activities.direction,
        coalesce(activities.is_engagement, false) as is_engagement,
        count(*) as touches,
        sum(coalesce(interest_points.points, 0)) as interest_points
    from activities
    left join interest_points
        on
            activities.activity_id = interest_points.activity_id
            and activities.person_id = interest_points.person_id
    group by
        activities.account_id,
        activities.person_id,
        cast({{ dbt.date_trunc('week', 'activities.activity_date') }} as date),
        activities.event_type,
        activities.direction,
        coalesce(activities.is_engagement, false)

)

select * from person_weeks

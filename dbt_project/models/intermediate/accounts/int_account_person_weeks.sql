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

-- Every touch up to the scoring date counts once, with no points.
touches as (

    select
        activities.account_id,
        activities.person_id,
        activities.activity_date,
        activities.event_type,
        activities.direction,
        activities.is_engagement,
        1 as touches,
        0 as interest_points
    from {{ ref('fct_activities') }} as activities
    cross join as_of
    where
        activities.account_id is not null
        and activities.activity_date <= as_of.as_of_date

),

-- Every scored touch once more, with its points and no count. The ledger's interest rows on the
-- scoring date are touches on or before that date (int_interest_events_decayed), so no date filter
-- is needed here. Kept apart from the touches on purpose: joined to every touch, the ledger sat
-- on the probe side and the touches (mis-estimated as few after the date filter) were hashed
-- whole, which ran out of DuckDB's 4 GB on the large preset. Here the ledger rows are the side
-- that is hashed, and the touches' aggregate below streams and spills like any other.
scored_touches as (

    select
        activities.account_id,
        activities.person_id,
        activities.activity_date,
        activities.event_type,
        activities.direction,
        activities.is_engagement,
        0 as touches,
        ledger.points as interest_points
    from {{ ref('fct_score_ledger') }} as ledger
    inner join {{ ref('fct_activities') }} as activities
        on
            ledger.contribution_id = activities.activity_id
            and ledger.person_id = activities.person_id
    where
        ledger.as_of_date = (select as_of.as_of_date from as_of)
        and ledger.model_id = 'core'
        and ledger.component = 'interest'
        and activities.account_id is not null

),

touches_and_points as (

    select * from touches
    union all
    select * from scored_touches

),

person_weeks as (

    select
        account_id,
        person_id,
        cast({{ dbt.date_trunc('week', 'activity_date') }} as date) as week_start,
        event_type,
        direction,
        coalesce(is_engagement, false) as is_engagement,
        cast(sum(touches) as {{ dbt.type_bigint() }}) as touches,
        sum(interest_points) as interest_points
    from touches_and_points
    group by
        account_id,
        person_id,
        cast({{ dbt.date_trunc('week', 'activity_date') }} as date),
        event_type,
        direction,
        coalesce(is_engagement, false)

)

select * from person_weeks

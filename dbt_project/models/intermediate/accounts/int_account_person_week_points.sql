-- The decayed interest points of model 'core' on the scoring date (fct_score_ledger) per account,
-- person, calendar week (Monday start) and event type of the touches that carry them
-- (fct_activities). The points change every day as they decay; the touches they belong to are
-- history, kept from day to day in int_account_person_week_touches. int_account_person_week_totals
-- and rpt_account_engagement add the two at their own grain, so that no table of tens of millions
-- of touches is written again every day to carry the day's points.

with

-- The ledger's interest rows on the scoring date are touches on or before that date
-- (int_interest_events_decayed) of a person with that account: each is counted in a row of
-- int_account_person_week_touches.
scored_touches as (

    select
        activities.account_id,
        activities.person_id,
        cast({{ dbt.date_trunc('week', 'activities.activity_date') }} as date) as week_start,
        activities.event_type,
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

)

select
    account_id,
    person_id,
    week_start,
    event_type,
    sum(points) as interest_points
from scored_touches
group by account_id, person_id, week_start, event_type

-- The decayed interest points of model 'core' on the scoring date per account, person, calendar
-- week (Monday start) and event type of the touches that carry them. The points change every day
-- as they decay; the touches they belong to are history, kept from day to day in
-- int_account_person_week_touches. int_account_person_week_totals and rpt_account_engagement add
-- the two at their own grain, so that no table of tens of millions of touches is written again
-- every day to carry the day's points.
--
-- The points are fct_score_ledger's interest rows on the scoring date, read where the ledger takes
-- them: int_interest_events_decayed, one row per scored event, already carrying the event's type
-- and date. The account is the person's (dim_persons), the account fct_activities gives each of the
-- person's activities (int_activities_resolved), so no join with tens of millions of activities
-- is needed to find it. Each event is a touch on or before the scoring date of a person with that
-- account: it is counted in a row of int_account_person_week_touches.

with

scored_touches as (

    select
        persons.account_id,
        events.person_id,
        cast({{ dbt.date_trunc('week', 'events.activity_date') }} as date) as week_start,
        events.event_type,
        events.points
    from {{ ref('int_interest_events_decayed') }} as events
    inner join {{ ref('dim_persons') }} as persons
        on events.person_id = persons.person_id
    where
        events.model_id = 'core'
        and persons.account_id is not null

)

select
    account_id,
    person_id,
    week_start,
    event_type,
    sum(points) as interest_points
from scored_touches
group by account_id, person_id, week_start, event_type

-- The latest touches of each account for a dashboard: its most recent activities up to the scoring
-- date (var recent_engagements_per_account, 20 by default), newest first, ties broken by
-- activity_id, with who acted, what, through which channel and campaign, and the decayed interest
-- points the touch carries in model 'core' on the scoring date (0 when it did not score).

-- The scoring date is a literal read when the model runs (macros/scoring_date_literal.sql): joined
-- as a one-row table it leaves the planner without an estimate of the activities it lets through.
{% set scoring_date = scoring_date_literal() %}

with

-- Only an account's latest weeks can hold its latest touches: the weeks from the one where the
-- count of later touches first drops below the limit. Ranking just those touches keeps a sort of
-- every activity out of the build. The touches per week are those int_account_person_week_touches
-- has counted (the same activities: of a person with an account, up to the scoring date), and the
-- touches ranked come from a scan of the activities joined to those weeks.
account_weeks as (

    select
        account_id,
        week_start,
        sum(touches) as touches
    from {{ ref('int_account_person_week_touches') }}
    group by account_id, week_start

),

recent_weeks as (

    select
        account_id,
        min(week_start) as first_week_start
    from (
        select
            account_id,
            week_start,
            sum(touches) over (
                partition by account_id
                order by week_start desc
                rows between unbounded preceding and current row
            ) - touches as later_touches
        from account_weeks
    ) as counted
    where later_touches < {{ var('recent_engagements_per_account', 20) }}
    group by account_id

),

ranked as (

    select
        activities.activity_id,
        activities.person_id,
        activities.account_id,
        activities.event_type,
        activities.activity_at,
        activities.direction,
        activities.channel,
        activities.campaign_id,
        activities.attribute,
        row_number() over (
            partition by activities.account_id
            order by activities.activity_at desc, activities.activity_id asc
        ) as recency_rank
    from {{ ref('fct_activities') }} as activities
    inner join recent_weeks
        on
            activities.account_id = recent_weeks.account_id
            and activities.activity_date >= recent_weeks.first_week_start
    where activities.activity_date <= {{ scoring_date }}

),

recent as (

    select * from ranked
    where recency_rank <= {{ var('recent_engagements_per_account', 20) }}

),

persons as (

    select
        person_id,
        title,
        department,
        seniority,
        nullif(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), '') as person_name
    from {{ ref('dim_persons') }}

),

accounts as (

    select
        account_id,
        account_name
    from {{ ref('dim_accounts') }}

),

campaigns as (

    select
        campaign_id,
        campaign_name
    from {{ ref('stg_crm__campaigns') }}

),

interest_points as (

    select
        ledger.person_id,
        ledger.contribution_id as activity_id,
        ledger.points
    from {{ ref('fct_score_ledger') }} as ledger
    where
        ledger.as_of_date = {{ scoring_date }}
        and ledger.model_id = 'core'
        and ledger.component = 'interest'

),

final as (

    select
        recent.account_id,
        accounts.account_name,
        recent.activity_id,
        recent.activity_at,
        recent.person_id,
        persons.person_name,
        persons.title,
        persons.department,
        persons.seniority,
        recent.event_type,
        recent.direction,
        recent.channel,
        recent.campaign_id,
        campaigns.campaign_name,
        recent.attribute,
        recent.recency_rank,
        coalesce(interest_points.points, 0) as interest_points
    from recent
    left join accounts
        on recent.account_id = accounts.account_id
    left join persons
        on recent.person_id = persons.person_id
    left join campaigns
        on recent.campaign_id = campaigns.campaign_id
    left join interest_points
        on
            recent.activity_id = interest_points.activity_id
            and recent.person_id = interest_points.person_id

)

select * from final

-- The latest touches of each account up to the scoring date: its most recent activities (var
-- recent_engagements_per_account, 20 by default), newest first, ties broken by activity_id, one row
-- each with what rpt_account_recent_engagements shows of the activity itself. Touches are history:
-- a daily build ranks again only the accounts whose latest touches can have changed since its last
-- build, and keeps the others' rows (macros/account_recent_touches.sql).

-- The scoring date is a literal read when the model runs (macros/scoring_date_literal.sql): joined
-- as a one-row table it leaves the planner without an estimate of the activities it lets through.
{% set scoring_date = scoring_date_literal() %}

-- depends_on: {{ ref('int_activities_resolved') }}
-- depends_on: {{ ref('int_person_record_versions') }}
-- depends_on: {{ ref('int_scoring_as_of') }}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ rank_recent_touch_accounts() }}",
        post_hook="{{ forget_refreshed_keys('accounts_ranked') }}"
    )
}}

with

resolved_through as (

    select max(resolved_at) as resolved_through
    from {{ ref('int_activities_resolved') }}

),

-- Only an account's latest weeks can hold its latest touches: the weeks from the one where the
-- count of later touches first drops below the limit. Ranking just those touches keeps a sort of
-- every activity out of the build. The touches per week are those int_account_person_week_touches
-- has counted (the same activities: of a person with an account, up to the scoring date), and the
-- touches ranked come from a scan of the activities joined to those weeks.
account_weeks as (

    select
        touches.account_id,
        touches.week_start,
        sum(touches.touches) as touches
    from {{ ref('int_account_person_week_touches') }} as touches
    where {{ recent_touch_account_is_ranked('touches') }}
    group by touches.account_id, touches.week_start

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

)

select
    ranked.account_id,
    ranked.activity_id,
    ranked.person_id,
    ranked.event_type,
    ranked.activity_at,
    ranked.direction,
    ranked.channel,
    ranked.campaign_id,
    ranked.attribute,
    ranked.recency_rank,
    {{ var('recent_engagements_per_account', 20) }} as recency_limit,
    resolved_through.resolved_through,
    {{ scoring_date }} as as_of_date,
    {{ run_started_timestamp() }} as refreshed_at
from ranked
cross join resolved_through
where ranked.recency_rank <= {{ var('recent_engagements_per_account', 20) }}

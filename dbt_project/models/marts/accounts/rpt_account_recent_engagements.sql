-- The latest touches of each account for a dashboard: its most recent activities up to the scoring
-- date (var recent_engagements_per_account, 20 by default), newest first, ties broken by
-- activity_id, with who acted, what, through which channel and campaign, and the decayed interest
-- points the touch carries in model 'core' on the scoring date (0 when it did not score).

-- The touches themselves are kept per account by int_account_recent_touches, which a daily build
-- ranks again only where they can have changed; this table adds what changes every day (the points
-- decay) or elsewhere (names), so it reads the day's ledger and the dimensions, not history.
{% set scoring_date = scoring_date_literal() %}

with

recent as (

    select * from {{ ref('int_account_recent_touches') }}

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

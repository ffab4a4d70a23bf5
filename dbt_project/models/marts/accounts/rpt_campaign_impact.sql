-- Per campaign and scoring model: the MQA events whose account the campaign touched (an activity of
-- one of the account's people with that campaign_id in fct_activities) within the model's MQA
-- lookback before the account qualified, and the CRM opportunities of touched accounts created
-- after a touch and within the lookback of it. Touched accounts are counted too, so the MQA and
-- opportunity counts read as shares of them. Campaigns without a touch at a known account are
-- left out.

with

rules as (

    select
        model_id,
        lookback_days
    from {{ ref('mqa_rules') }}

),

touches as (

    select
        campaign_id,
        account_id,
        activity_date
    from {{ ref('fct_activities') }}
    where campaign_id is not null and account_id is not null

),

touched_accounts as (

    select
        touches.campaign_id,
        rules.model_id,
        count(distinct touches.account_id) as touched_accounts,
        count(*) as touches,
        min(touches.activity_date) as first_touch_date,
        max(touches.activity_date) as last_touch_date
    from touches
    cross join rules
    group by touches.campaign_id, rules.model_id

),

mqas as (

    select
        touches.campaign_id,
        events.model_id,
        count(
            distinct events.account_id || '|' || cast(events.mqa_date as {{ dbt.type_string() }})
        ) as mqa_events,
        count(distinct events.account_id) as mqa_accounts
    from {{ ref('fct_mqa_events') }} as events
    inner join rules on events.model_id = rules.model_id
    inner join touches
        on
            events.account_id = touches.account_id
            and events.mqa_date >= touches.activity_date
            and {{ dbt.datediff('touches.activity_date', 'events.mqa_date', 'day') }} < rules.lookback_days
    group by touches.campaign_id, events.model_id

),

opportunities as (

    select
        bridge.account_id,
        opportunities.opportunity_id,
        cast(opportunities.created_at as date) as created_date
    from {{ ref('stg_crm__opportunities') }} as opportunities
    inner join {{ ref('bridge_account_records') }} as bridge
        on
            bridge.source_system = 'crm'
            and bridge.source_object = 'account'
            and opportunities.account_id = bridge.source_record_id
    where not opportunities.is_deleted

),

influenced as (

    select
        touches.campaign_id,
        rules.model_id,
        count(distinct opportunities.opportunity_id) as opportunities_after_touch
    from opportunities
    inner join touches
        on
            opportunities.account_id = touches.account_id
            and opportunities.created_date >= touches.activity_date
    cross join rules
    where
        {{ dbt.datediff('touches.activity_date', 'opportunities.created_date', 'day') }}
        < rules.lookback_days
    group by touches.campaign_id, rules.model_id

)

select
    touched_accounts.campaign_id,
    touched_accounts.model_id,
    campaigns.campaign_name,
    campaigns.campaign_type,
    touched_accounts.touched_accounts,
    touched_accounts.touches,
    touched_accounts.first_touch_date,
    touched_accounts.last_touch_date,
    coalesce(mqas.mqa_events, 0) as mqa_events,
    coalesce(mqas.mqa_accounts, 0) as mqa_accounts,
    coalesce(influenced.opportunities_after_touch, 0) as opportunities_after_touch
from touched_accounts
left join {{ ref('stg_crm__campaigns') }} as campaigns
    on touched_accounts.campaign_id = campaigns.campaign_id
left join mqas
    on touched_accounts.campaign_id = mqas.campaign_id and touched_accounts.model_id = mqas.model_id
left join influenced
    on
        touched_accounts.campaign_id = influenced.campaign_id
        and touched_accounts.model_id = influenced.model_id

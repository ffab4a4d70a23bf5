-- Each MQL event of fct_mql_events with the sales disposition that answers it and the opportunity
-- that followed. The disposition is the person's first non-deleted CRM disposition (by its MQL date)
-- whose MQL date is at most disposition_match_days (mql_acceptance_targets) before the event, or
-- later but before the person's next MQL event under the same model, and that does not already
-- answer an earlier event of the person under the model; none yet = awaiting. The opportunity is
-- the first non-deleted CRM opportunity created at the person's account (dim_persons) after the MQL
-- day and within the model's horizon_days (scoring_models), with its outcome as the CRM shows it now.
with

targets as (

    select
        model_id,
        disposition_match_days
    from {{ ref('mql_acceptance_targets') }}

),

models as (

    select
        model_id,
        horizon_days
    from {{ ref('scoring_models') }}

),

mql_events as (

    select
        events.person_id,
        events.model_id,
        events.mql_date,
        events.mql_kind,
        events.route,
        events.matrix_cell,
        events.fit_score,
        events.interest_score,
        lead(events.mql_date) over (
            partition by events.person_id, events.model_id order by events.mql_date
        ) as next_mql_date
    from {{ ref('fct_mql_events') }} as events

),

dispositions as (

    select
        person_id,
        mql_disposition_id,
        mql_date as disposition_mql_date,
        disposition_status,
        rejection_reason,
        disposition_date
    from {{ ref('int_mql_dispositions_persons') }}
    where not is_deleted

),

disposition_candidates as (

    select
        mql_events.person_id,
        mql_events.model_id,
        mql_events.mql_date,
        dispositions.mql_disposition_id,
        dispositions.disposition_mql_date,
        dispositions.disposition_status,
        dispositions.rejection_reason,
        dispositions.disposition_date,
        row_number() over (
            partition by mql_events.person_id, mql_events.model_id, mql_events.mql_date
            order by
                dispositions.disposition_mql_date,
                dispositions.disposition_date,
                dispositions.mql_disposition_id
        ) as candidate_rank
    from mql_events
    inner join targets on mql_events.model_id = targets.model_id
    inner join dispositions
        on
            mql_events.person_id = dispositions.person_id
            -- the CRM's MQL date is at most disposition_match_days before ours, or after it
            and mql_events.mql_date
            <= {{ dbt.dateadd('day', 'targets.disposition_match_days', 'dispositions.disposition_mql_date') }}
            and (
                mql_events.next_mql_date is null
                or mql_events.next_mql_date > dispositions.disposition_mql_date
            )

),

answers as (

    -- A disposition in the windows of two consecutive events (CRM MQL date within the match days
    -- before the later one) answers the earlier: typically it is the Bad Timing verdict that
    -- recycled the person into the later event. The later event takes its next candidate, if any.
    select
        candidates.*,
        row_number() over (
            partition by candidates.person_id, candidates.model_id, candidates.mql_date
            order by candidates.candidate_rank
        ) as answer_rank
    from disposition_candidates as candidates
    where not exists (
        select 1
        from disposition_candidates as earlier
        where
            earlier.person_id = candidates.person_id
            and earlier.model_id = candidates.model_id
            and earlier.mql_date < candidates.mql_date
            and earlier.candidate_rank = 1
            and earlier.mql_disposition_id = candidates.mql_disposition_id
    )

),

person_accounts as (

    select
        person_id,
        account_id
    from {{ ref('dim_persons') }}
    where account_id is not null

),

opportunities as (

    select
        bridge.account_id,
        opportunities.opportunity_id,
        cast(opportunities.created_at as date) as created_date,
        opportunities.is_closed,
        opportunities.is_won,
        opportunities.close_date
    from {{ ref('stg_crm__opportunities') }} as opportunities
    inner join {{ ref('bridge_account_records') }} as bridge
        on
            bridge.source_system = 'crm'
            and bridge.source_object = 'account'
            and opportunities.account_id = bridge.source_record_id
    where not opportunities.is_deleted

),

opportunity_candidates as (

    select
        mql_events.person_id,
        mql_events.model_id,
        mql_events.mql_date,
        opportunities.opportunity_id,
        opportunities.created_date,
        opportunities.is_closed,
        opportunities.is_won,
        opportunities.close_date,
        row_number() over (
            partition by mql_events.person_id, mql_events.model_id, mql_events.mql_date
            order by opportunities.created_date, opportunities.opportunity_id
        ) as candidate_rank
    from mql_events
    inner join models on mql_events.model_id = models.model_id
    inner join person_accounts on mql_events.person_id = person_accounts.person_id
    inner join opportunities
        on
            person_accounts.account_id = opportunities.account_id
            and mql_events.mql_date < opportunities.created_date
            and {{ dbt.datediff('mql_events.mql_date', 'opportunities.created_date', 'day') }}
            <= models.horizon_days

)

select
    mql_events.person_id,
    mql_events.model_id,
    mql_events.mql_date,
    mql_events.mql_kind,
    mql_events.route,
    mql_events.matrix_cell,
    mql_events.fit_score,
    mql_events.interest_score,
    mql_events.next_mql_date,
    answers.mql_disposition_id,
    answers.disposition_mql_date,
    answers.disposition_status,
    answers.rejection_reason,
    answers.disposition_date,
    answers.mql_disposition_id is null as is_awaiting_disposition,
    person_accounts.account_id,
    opportunity_candidates.opportunity_id,
    opportunity_candidates.created_date as opportunity_created_date,
    {{ dbt.datediff('mql_events.mql_date', 'opportunity_candidates.created_date', 'day') }}
        as days_to_opportunity,
    opportunity_candidates.is_closed as is_opportunity_closed,
    opportunity_candidates.is_won as is_opportunity_won,
    opportunity_candidates.close_date as opportunity_close_date
from mql_events
left join answers
    on
        mql_events.person_id = answers.person_id
        and mql_events.model_id = answers.model_id
        and mql_events.mql_date = answers.mql_date
        and answers.answer_rank = 1
left join person_accounts on mql_events.person_id = person_accounts.person_id
left join opportunity_candidates
    on
        mql_events.person_id = opportunity_candidates.person_id
        and mql_events.model_id = opportunity_candidates.model_id
        and mql_events.mql_date = opportunity_candidates.mql_date
        and opportunity_candidates.candidate_rank = 1

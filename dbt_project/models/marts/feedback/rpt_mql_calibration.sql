-- Monthly calibration of the scoring models against sales' verdicts, per model, matrix cell and
-- month of the MQL date (int_mql_dispositions_matched): how many MQLs sales dispositioned and
-- accepted, the acceptance rate against the model's target band (mql_acceptance_targets), the
-- rejections per reason with the action the most frequent one points to (rejection_reason_actions),
-- how many MQLs led to an opportunity and a closed-won deal within the horizon, and the total score
-- (fit + interest) of the MQLs whose opportunity was won against those whose opportunity was lost.

with

targets as (

    select
        model_id,
        min_acceptance_rate,
        max_acceptance_rate
    from {{ ref('mql_acceptance_targets') }}

),

actions as (

    select
        rejection_reason,
        action_area,
        action
    from {{ ref('rejection_reason_actions') }}

),

mqls as (

    select
        model_id,
        matrix_cell,
        cast({{ dbt.date_trunc('month', 'mql_date') }} as date) as mql_month,
        disposition_status,
        rejection_reason,
        opportunity_id,
        days_to_opportunity,
        is_opportunity_closed,
        is_opportunity_won,
        fit_score + interest_score as total_score
    from {{ ref('int_mql_dispositions_matched') }}

),

monthly as (

    select
        model_id,
        matrix_cell,
        mql_month,
        count(*) as mql_count,
        count(disposition_status) as dispositioned_count,
        count(case when disposition_status = 'Accepted' then 1 end) as accepted_count,
        count(case when disposition_status = 'Rejected' then 1 end) as rejected_count,
        count(case when rejection_reason = 'Bad Fit' then 1 end) as rejected_bad_fit_count,
        count(case when rejection_reason = 'Bad Timing' then 1 end) as rejected_bad_timing_count,
        count(case when rejection_reason = 'Bad Data' then 1 end) as rejected_bad_data_count,
        count(opportunity_id) as opportunity_count,
        count(case when is_opportunity_won then 1 end) as closed_won_count,
        count(case when is_opportunity_closed and not is_opportunity_won then 1 end) as closed_lost_count,
        cast({{ median('days_to_opportunity') }} as {{ type_double() }}) as median_days_to_opportunity,
        cast(
            {{ median('case when is_opportunity_won then total_score end') }} as {{ type_double() }}
        ) as median_score_won,
        cast(
            avg(case when is_opportunity_won then total_score end) as {{ type_double() }}
        ) as avg_score_won,
        cast(
            {{ median('case when is_opportunity_closed and not is_opportunity_won then total_score end') }}
            as {{ type_double() }}
        ) as median_score_lost,
        cast(
            avg(case when is_opportunity_closed and not is_opportunity_won then total_score end)
            as {{ type_double() }}
        ) as avg_score_lost
    from mqls
    group by model_id, matrix_cell, mql_month

),

reason_counts as (

    select
        model_id,
        matrix_cell,
        mql_month,
        rejection_reason,
        count(*) as rejections
    from mqls
    where disposition_status = 'Rejected' and rejection_reason is not null
    group by model_id, matrix_cell, mql_month, rejection_reason

),

top_reasons as (

    -- the most frequent reason; on a tie the first in alphabetical order, so reruns agree
    select
        model_id,
        matrix_cell,
        mql_month,
        rejection_reason,
        row_number() over (
            partition by model_id, matrix_cell, mql_month
            order by rejections desc, rejection_reason asc
        ) as reason_rank
    from reason_counts

),

rated as (

    select
        monthly.*,
        targets.min_acceptance_rate,
        targets.max_acceptance_rate,
        cast(monthly.accepted_count as {{ type_double() }})
        / nullif(monthly.dispositioned_count, 0) as acceptance_rate
    from monthly
    left join targets on monthly.model_id = targets.model_id

)

select
    rated.model_id,
    rated.matrix_cell,
    rated.mql_month,

    ---------- sales verdicts
    rated.mql_count,
    rated.dispositioned_count,
    rated.mql_count - rated.dispositioned_count as awaiting_count,
    rated.accepted_count,
    rated.rejected_count,
    rated.acceptance_rate,
    rated.min_acceptance_rate,
    rated.max_acceptance_rate,
    case
        when rated.dispositioned_count = 0 then 'no_dispositions'
        when rated.acceptance_rate < rated.min_acceptance_rate then 'below_band'
        when rated.acceptance_rate > rated.max_acceptance_rate then 'above_band'
        when
            rated.acceptance_rate >= rated.min_acceptance_rate
            and rated.acceptance_rate <= rated.max_acceptance_rate
            then 'in_band'
    end as acceptance_status,

    ---------- rejection reasons
    rated.rejected_bad_fit_count,
    rated.rejected_bad_timing_count,
    rated.rejected_bad_data_count,
    top_reasons.rejection_reason as top_rejection_reason,
    actions.action_area as top_rejection_action_area,
    actions.action as top_rejection_action,

    ---------- outcomes within the model's horizon
    rated.opportunity_count,
    cast(rated.opportunity_count as {{ type_double() }}) / rated.mql_count as mql_to_opportunity_rate,
    rated.closed_won_count,
    cast(rated.closed_won_count as {{ type_double() }}) / rated.mql_count as mql_to_closed_won_rate,
    rated.closed_lost_count,
    rated.median_days_to_opportunity,

    ---------- total score (fit + interest on the MQL day) of won and lost opportunities
    rated.median_score_won,
    rated.avg_score_won,
    rated.median_score_lost,
    rated.avg_score_lost
from rated
left join top_reasons
    on
        rated.model_id = top_reasons.model_id
        and rated.matrix_cell = top_reasons.matrix_cell
        and rated.mql_month = top_reasons.mql_month
        and top_reasons.reason_rank = 1
left join actions on top_reasons.rejection_reason = actions.rejection_reason

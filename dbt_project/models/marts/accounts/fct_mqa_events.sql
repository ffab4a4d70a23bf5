-- MQA events: the first scored day an account is an MQA under a model, and again each day it
-- becomes one after it had stopped being one. Staying an MQA is not a new event. One event per
-- account, model and day, with the state of that day.

with

history as (

    select
        history.*,
        lag(history.is_mqa) over (
            partition by history.account_id, history.model_id order by history.as_of_date
        ) as was_mqa_before,
        max(case when history.is_mqa then history.as_of_date end) over (
            partition by history.account_id, history.model_id
            order by history.as_of_date
            rows between unbounded preceding and 1 preceding
        ) as last_mqa_date_before
    from {{ ref('fct_account_score_history') }} as history

)

select
    account_id,
    model_id,
    as_of_date as mqa_date,
    fit,
    engagement,
    engaged_people,
    departments,
    coverage,
    missing_roles,
    likelihood,
    baseline,
    lift,
    reasons,
    case when last_mqa_date_before is null then 'first' else 'requalified' end as mqa_kind
from history
where
    is_mqa
    and not coalesce(was_mqa_before, false)

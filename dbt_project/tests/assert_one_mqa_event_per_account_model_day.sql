-- An account becomes an MQA at most once per model and day: returns the duplicated events.

select
    account_id,
    model_id,
    mqa_date,
    count(*) as events
from {{ ref('fct_mqa_events') }}
group by account_id, model_id, mqa_date
having count(*) > 1

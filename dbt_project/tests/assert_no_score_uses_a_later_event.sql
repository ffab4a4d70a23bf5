-- Point in time: no ledger row is built on an event after its scoring date.

select
    person_id,
    model_id,
    as_of_date,
    contribution_id,
    event_at
from {{ ref('fct_score_ledger') }}
where event_at is not null and cast(event_at as date) > as_of_date

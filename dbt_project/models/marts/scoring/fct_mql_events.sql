-- MQL events: the first day a person is in an MQL cell under a model, and again each time they
-- re-enter one after sales recycled them (a "Bad Timing" rejection dated after their last MQL
-- day). Staying in an MQL cell, or leaving and coming back without a recycle, is not a new MQL.
-- One event per person, model and day, with the scores and reasons of that day.
-- Computed from the kept entries (int_person_mql_entries), a small table, rather than from a window
-- over the whole score history: recycles arrive late, so every run checks every entry again.

with

entries as (

    select * from {{ ref('int_person_mql_entries') }}
    where row_kind = 'entry'

),

recycles as (

    select
        person_id,
        disposition_date
    from {{ ref('int_mql_dispositions_persons') }}
    where disposition_status = 'Rejected' and rejection_reason = 'Bad Timing'

),

events as (

    select entries.*
    from entries
    where
        entries.last_mql_date is null
        or exists (
            select 1
            from recycles
            where
                recycles.person_id = entries.person_id
                and recycles.disposition_date > entries.last_mql_date
                and recycles.disposition_date <= entries.as_of_date
        )

)

select
    person_id,
    model_id,
    as_of_date as mql_date,
    route,
    matrix_cell,
    fit_score,
    interest_score,
    fit_grade,
    interest_grade,
    top_positive_reasons,
    top_negative_reason,
    rule_version,
    case when last_mql_date is null then 'first' else 'after_recycle' end as mql_kind
from events

-- The scores per day: each run adds the rows of its scoring date (replacing them if that day was
-- already scored) and never recomputes the past. Re-score a past day with `--vars '{as_of: ...}'`.

{{
    config(
        materialized='incremental',
        unique_key=['person_id', 'model_id', 'as_of_date'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

select
    person_id,
    model_id,
    as_of_date,
    fit_score,
    interest_score,
    fit_grade,
    interest_grade,
    matrix_cell,
    route,
    is_mql,
    top_positive_reasons,
    top_negative_reason,
    rule_version,
    {{ run_started_timestamp() }} as refreshed_at
from {{ ref('fct_person_scores') }}

-- The account scores per day: each run adds the rows of its scoring date (replacing them if that
-- day was already scored) and never recomputes the past. Re-score a past day with
-- `--vars '{as_of: ...}'`.

{{
    config(
        materialized='incremental',
        unique_key=['account_id', 'model_id', 'as_of_date'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns'
    )
}}

select
    account_id,
    model_id,
    as_of_date,
    fit,
    engagement,
    engaged_people,
    departments,
    seniorities,
    coverage,
    missing_roles,
    likelihood,
    baseline,
    lift,
    has_open_opportunity,
    is_at_risk,
    is_mqa,
    reasons,
    {{ run_started_timestamp() }} as refreshed_at
from {{ ref('fct_account_scores') }}

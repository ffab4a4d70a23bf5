-- The days a person entered an MQL cell under a model (is_mql, after a scored day that was not, or
-- on their first scored day), read from the score history, with the last MQL day before each entry
-- (null: the first ever). fct_mql_events keeps the entries that count as MQLs (the first, and
-- those after a recycle); a recycle never changes an entry, so late dispositions change only the
-- events.
--
-- Kept, not recomputed: the history grows by every scored person every day, and a window over all
-- of it grew with it (on large, 30 s with 30 days of history against 1.6 s with 2; docs/decisions.md,
-- "MQL entries are kept"). Two kinds of rows:
--   * row_kind 'entry': one per entry day, with that day's scores, cell and reasons;
--   * row_kind 'latest': one per person and model, the last history day read (is_mql that day, and
--     last_mql_date the latest MQL day on or before it): where the next build carries on.
-- A daily build reads only the history days after the latest rows' newest day, each person's
-- sequence starting from their latest row; the older latest rows of the people it read are then
-- removed (post-hook). When a run writes a history day on or before that day (a backfill with
-- --vars '{as_of: ...}'), the table is emptied first and built again from the whole history
-- (macros/mql_entries.sql).

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ forget_mql_entries_of_a_rewritten_history() }}",
        post_hook="{{ remove_superseded_latest_mql_rows() }}"
    )
}}

{%- set new_days_only -%}
    {%- if is_incremental() %}
        where history.as_of_date > coalesce(
            (select read_through.as_of_date from read_through), cast('1900-01-01' as date)
        )
    {%- endif %}
{%- endset %}

with

{% if is_incremental() %}

    read_through as (

        select max(as_of_date) as as_of_date from {{ this }}
        where row_kind = 'latest'

    ),

{% endif %}

-- The history's new days, read twice (the sequence's four columns, then every column for the
-- entries): one common table read twice would be written out whole first by DuckDB (on a full build
-- with 30 days of history on large, 30 s of 68 s).
new_days as (

    select
        history.person_id,
        history.model_id,
        history.as_of_date,
        history.is_mql
    from {{ ref('fct_person_score_history') }} as history
    {{ new_days_only }}

),

new_days_scored as (

    select history.*
    from {{ ref('fct_person_score_history') }} as history
    {{ new_days_only }}

),

-- Each person's sequence: their latest row (where the last build stopped), then the new days.
sequence as (

    {% if is_incremental() %}
        select
            person_id,
            model_id,
            as_of_date,
            is_mql,
            last_mql_date as mql_date_through,
            true as is_latest_row
        from {{ this }}
        where row_kind = 'latest'
        union all
    {% endif %}
    select
        person_id,
        model_id,
        as_of_date,
        is_mql,
        case when is_mql then as_of_date end as mql_date_through,
        false as is_latest_row
    from new_days

),

ordered as (

    select
        person_id,
        model_id,
        as_of_date,
        is_mql,
        is_latest_row,
        lag(is_mql) over per_person as was_mql_before,
        max(mql_date_through) over (per_person rows between unbounded preceding and 1 preceding)
            as last_mql_date_before,
        -- the whole sequence's, for its last row (no second sort)
        max(mql_date_through) over (partition by person_id, model_id) as last_mql_date_through,
        max(as_of_date) over (partition by person_id, model_id) as last_as_of_date
    from sequence
    window per_person as (partition by person_id, model_id order by as_of_date)

),

entries as (

    select
        ordered.person_id,
        ordered.model_id,
        'entry' as row_kind,
        ordered.as_of_date,
        ordered.is_mql,
        ordered.last_mql_date_before as last_mql_date,
        new_days_scored.route,
        new_days_scored.matrix_cell,
        new_days_scored.fit_score,
        new_days_scored.interest_score,
        new_days_scored.fit_grade,
        new_days_scored.interest_grade,
        new_days_scored.top_positive_reasons,
        new_days_scored.top_negative_reason,
        new_days_scored.rule_version
    from ordered
    inner join new_days_scored
        on
            ordered.person_id = new_days_scored.person_id
            and ordered.model_id = new_days_scored.model_id
            and ordered.as_of_date = new_days_scored.as_of_date
    where
        not ordered.is_latest_row
        and ordered.is_mql
        and not coalesce(ordered.was_mql_before, false)

),

latest as (

    select
        person_id,
        model_id,
        'latest' as row_kind,
        as_of_date,
        is_mql,
        last_mql_date_through as last_mql_date,
        cast(null as {{ dbt.type_string() }}) as route,
        cast(null as {{ dbt.type_string() }}) as matrix_cell,
        cast(null as {{ type_double() }}) as fit_score,
        cast(null as {{ type_double() }}) as interest_score,
        cast(null as {{ dbt.type_string() }}) as fit_grade,
        cast(null as {{ dbt.type_string() }}) as interest_grade,
        cast(null as {{ dbt.type_string() }}) as top_positive_reasons,
        cast(null as {{ dbt.type_string() }}) as top_negative_reason,
        cast(null as {{ dbt.type_string() }}) as rule_version
    from ordered
    where as_of_date = last_as_of_date and not is_latest_row

)

select
    *,
    {{ run_started_timestamp() }} as refreshed_at
from entries
union all
select
    *,
    {{ run_started_timestamp() }} as refreshed_at
from latest

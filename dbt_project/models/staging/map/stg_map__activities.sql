-- An immutable event log, kept as an incremental table: each build adds the events of the new
-- deliveries only (see the new_event_deliveries macro), so the daily run never re-reads history.

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail'
    )
}}

with

-- Read three times by the first-delivery check: scanned again each time, not held in memory.
source as {{ not_materialized() }} (

    {{ new_event_deliveries(source('map', 'activity')) }}

),

-- The activity log is immutable: a re-delivered activity is the same event, keep its first load.
first_delivery as (

    {{ first_delivery('source', clean_id('id')) }}

),

renamed as (

    select

        ---------- ids
        {{ clean_id('id') }} as activity_id,
        {{ clean_id('lead_id') }} as map_lead_id,
        {{ clean_id('campaign_id') }} as campaign_id,

        ---------- activity
        {{ clean_id('activity_type_id') }} as activity_type_id,
        {{ clean_text('activity_type_name') }} as activity_type_name,
        {{ clean_id('primary_attribute_value_id') }} as primary_attribute_value_id,
        {{ clean_text('primary_attribute_value') }} as primary_attribute_value,
        nullif(trim(attributes), '') as attributes,

        ---------- timestamps
        cast(activity_date as {{ dbt.type_timestamp() }}) as activity_at,

        ---------- lineage
        _source_file,
        _source_line,
        _load_id,
        _loaded_at,
        {{ run_started_timestamp() }} as _staged_at

    from first_delivery

)

select * from renamed
{{ not_kept_yet('activity_id', 'renamed') }}

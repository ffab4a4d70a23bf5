{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='campaign_id',
        on_schema_change='fail'
    )
}}

with

source as (

    {{ versions_of_delivered_records(source('crm', 'campaign'), clean_id('id')) }}

),

latest as (

    {{ latest_version('source', clean_id('id'), 'system_modstamp') }}

),

renamed as (

    select

        ---------- ids
        {{ clean_id('id') }} as campaign_id,

        ---------- campaign
        {{ clean_text('name') }} as campaign_name,
        {{ clean_text('type') }} as campaign_type,
        {{ clean_text('status') }} as campaign_status,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,

        ---------- status
        coalesce(is_deleted, false) as is_deleted,

        ---------- timestamps
        cast(created_date as {{ dbt.type_timestamp() }}) as created_at,
        cast(system_modstamp as {{ dbt.type_timestamp() }}) as modified_at,

        ---------- lineage
        _source_file,
        _source_line,
        _load_id,
        _loaded_at

    from latest

)

select * from renamed

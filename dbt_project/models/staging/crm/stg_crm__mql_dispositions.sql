{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='mql_disposition_id',
        on_schema_change='fail'
    )
}}

with

source as (

    {{ versions_of_delivered_records(source('crm', 'mql_disposition'), clean_id('id')) }}

),

latest as (

    {{ latest_version('source', clean_id('id'), 'system_modstamp') }}

),

renamed as (

    select

        ---------- ids
        {{ clean_id('id') }} as mql_disposition_id,
        {{ clean_id('lead_c') }} as lead_id,
        {{ clean_id('contact_c') }} as contact_id,

        ---------- verdict
        cast(mql_date_c as date) as mql_date,
        {{ clean_text('status_c') }} as disposition_status,
        {{ clean_text('rejection_reason_c') }} as rejection_reason,
        cast(disposition_date_c as date) as disposition_date,

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

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='campaign_member_id',
        on_schema_change='fail'
    )
}}

with

source as (

    {{ versions_of_delivered_records(source('crm', 'campaign_member'), clean_id('id')) }}

),

latest as (

    {{ latest_version('source', clean_id('id'), 'system_modstamp') }}

),

renamed as (

    select

        ---------- ids
        {{ clean_id('id') }} as campaign_member_id,
        {{ clean_id('campaign_id') }} as campaign_id,
        {{ clean_id('lead_id') }} as lead_id,
        {{ clean_id('contact_id') }} as contact_id,

        ---------- response
        {{ clean_text('status') }} as member_status,
        coalesce(has_responded, false) as has_responded,
        cast(first_responded_date as date) as first_responded_date,

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

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='opportunity_contact_role_id',
        on_schema_change='fail'
    )
}}

with

source as (

    {{ versions_of_delivered_records(source('crm', 'opportunity_contact_role'), clean_id('id')) }}

),

latest as (

    {{ latest_version('source', clean_id('id'), 'system_modstamp') }}

),

renamed as (

    select

        ---------- ids
        {{ clean_id('id') }} as opportunity_contact_role_id,
        {{ clean_id('opportunity_id') }} as opportunity_id,
        {{ clean_id('contact_id') }} as contact_id,

        ---------- role
        {{ clean_text('role') }} as contact_role,
        coalesce(is_primary, false) as is_primary,

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

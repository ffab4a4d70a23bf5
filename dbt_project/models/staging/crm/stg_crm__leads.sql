{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='lead_id',
        on_schema_change='fail'
    )
}}

with

source as (

    {{ versions_of_delivered_records(source('crm', 'lead'), clean_id('id')) }}

),

latest as (

    {{ latest_version('source', clean_id('id'), 'system_modstamp') }}

),

renamed as (

    select

        ---------- ids
        {{ clean_id('id') }} as lead_id,
        {{ clean_id('converted_contact_id') }} as converted_contact_id,
        {{ clean_id('converted_account_id') }} as converted_account_id,
        {{ clean_id('converted_opportunity_id') }} as converted_opportunity_id,
        {{ clean_id('owner_id') }} as owner_user_id,
        {{ clean_id('master_record_id') }} as master_record_id,

        ---------- person
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ normalize_email('email') }} as email,
        {{ email_domain('email') }} as email_domain,
        {{ clean_text('title') }} as title,
        {{ clean_text('country') }} as country,

        ---------- company
        {{ clean_text('company') }} as company_name,
        {{ clean_text('website') }} as website,
        {{ normalize_domain('website') }} as website_domain,
        {{ clean_text('industry') }} as industry,
        cast(number_of_employees as {{ dbt.type_bigint() }}) as number_of_employees,

        ---------- funnel
        {{ clean_text('lead_source') }} as lead_source,
        {{ clean_text('status') }} as lead_status,
        coalesce(is_converted, false) as is_converted,
        cast(converted_date as date) as converted_date,
        coalesce(has_opted_out_of_email, false) as has_opted_out_of_email,

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

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='map_lead_id',
        on_schema_change='fail'
    )
}}

with

source as (

    {{ versions_of_delivered_records(source('map', 'lead'), clean_id('id')) }}

),

latest as (

    {{ latest_version('source', clean_id('id'), 'updated_at') }}

),

renamed as (

    select

        ---------- ids
        {{ clean_id('id') }} as map_lead_id,
        {{ clean_id('sfdc_lead_id') }} as crm_lead_id,
        {{ clean_id('sfdc_contact_id') }} as crm_contact_id,
        {{ clean_id('sfdc_account_id') }} as crm_account_id,

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

        ---------- marketing
        {{ clean_text('lead_source') }} as lead_source,
        coalesce(unsubscribed, false) as is_unsubscribed,
        coalesce(email_invalid, false) as is_email_invalid,

        ---------- timestamps
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,

        ---------- lineage
        _source_file,
        _source_line,
        _load_id,
        _loaded_at

    from latest

)

select * from renamed

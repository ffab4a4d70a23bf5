{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='contact_id',
        on_schema_change='fail'
    )
}}

with

source as (

    {{ versions_of_delivered_records(source('crm', 'contact'), clean_id('id')) }}

),

latest as (

    {{ latest_version('source', clean_id('id'), 'system_modstamp') }}

),

renamed as (

    select

        ---------- ids
        {{ clean_id('id') }} as contact_id,
        {{ clean_id('account_id') }} as account_id,
        {{ clean_id('owner_id') }} as owner_user_id,
        {{ clean_id('master_record_id') }} as master_record_id,

        ---------- person
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ normalize_email('email') }} as email,
        {{ email_domain('email') }} as email_domain,
        {{ clean_text('title') }} as title,
        {{ clean_text('department') }} as department,
        {{ clean_text('mailing_country') }} as mailing_country,

        ---------- marketing
        {{ clean_text('lead_source') }} as lead_source,
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

{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='account_id',
        on_schema_change='fail'
    )
}}

with

source as (

    {{ versions_of_delivered_records(source('crm', 'account'), clean_id('id')) }}

),

latest as (

    {{ latest_version('source', clean_id('id'), 'system_modstamp') }}

),

renamed as (

    select

        ---------- ids
        {{ clean_id('id') }} as account_id,
        {{ clean_id('parent_id') }} as parent_account_id,
        {{ clean_id('owner_id') }} as owner_user_id,
        {{ clean_id('master_record_id') }} as master_record_id,

        ---------- company
        {{ clean_text('name') }} as account_name,
        {{ clean_text('website') }} as website,
        {{ normalize_domain('website') }} as website_domain,
        {{ clean_text('industry') }} as industry,
        cast(number_of_employees as {{ dbt.type_bigint() }}) as number_of_employees,
        cast(annual_revenue as {{ type_double() }}) as annual_revenue,
        {{ clean_text('billing_country') }} as billing_country,
        {{ clean_text('tech_stack_c') }} as tech_stack,
        {{ clean_text('type') }} as account_type,

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

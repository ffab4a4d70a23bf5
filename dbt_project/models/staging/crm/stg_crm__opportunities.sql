{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='opportunity_id',
        on_schema_change='fail'
    )
}}

with

source as (

    {{ versions_of_delivered_records(source('crm', 'opportunity'), clean_id('id')) }}

),

latest as (

    {{ latest_version('source', clean_id('id'), 'system_modstamp') }}

),

renamed as (

    select

        ---------- ids
        {{ clean_id('id') }} as opportunity_id,
        {{ clean_id('account_id') }} as account_id,
        {{ clean_id('campaign_id') }} as campaign_id,
        {{ clean_id('owner_id') }} as owner_user_id,

        ---------- deal
        {{ clean_text('name') }} as opportunity_name,
        {{ clean_text('type') }} as opportunity_type,
        {{ clean_text('product_line_c') }} as product_line,
        {{ clean_text('lead_source') }} as lead_source,
        cast(amount as {{ type_double() }}) as amount,

        ---------- stage and outcome
        {{ clean_text('stage_name') }} as stage_name,
        coalesce(is_closed, false) as is_closed,
        coalesce(is_won, false) as is_won,
        cast(close_date as date) as close_date,

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

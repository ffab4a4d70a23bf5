{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='task_id',
        on_schema_change='fail'
    )
}}

with

source as (

    {{ versions_of_delivered_records(source('crm', 'task'), clean_id('id')) }}

),

latest as (

    {{ latest_version('source', clean_id('id'), 'system_modstamp') }}

),

renamed as (

    select

        ---------- ids
        {{ clean_id('id') }} as task_id,
        {{ clean_id('who_id') }} as who_id,
        {{ clean_id('what_id') }} as what_id,
        {{ clean_id('account_id') }} as account_id,
        {{ clean_id('owner_id') }} as owner_user_id,

        ---------- outreach
        {{ clean_text('subject') }} as subject,
        {{ clean_text('type') }} as task_type,
        {{ clean_text('task_subtype') }} as task_subtype,
        {{ clean_text('status') }} as task_status,
        cast(call_duration_in_seconds as {{ dbt.type_bigint() }}) as call_duration_in_seconds,
        cast(activity_date as date) as activity_date,

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

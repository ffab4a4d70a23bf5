-- An immutable event log, kept as an incremental table: each build adds the events of the new
-- deliveries only (see the new_event_deliveries macro), so the daily run never re-reads history.

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail'
    )
}}

with

source as (

    {{ new_event_deliveries(source('web', 'page_view')) }}

),

-- Page views are immutable events: a re-delivered event is the same view, keep its first load.
first_delivery as (

    {{ first_delivery('source', clean_id('event_id')) }}

),

renamed as (

    select

        ---------- ids
        {{ clean_id('event_id') }} as page_view_id,
        {{ clean_id('visitor_id') }} as visitor_id,
        {{ clean_id('session_id') }} as session_id,

        ---------- page
        {{ clean_text('url') }} as url,
        {{ clean_text('referrer') }} as referrer,
        {{ normalize_domain('referrer') }} as referrer_domain,

        ---------- campaign tags
        {{ clean_text('utm_source') }} as utm_source,
        {{ clean_text('utm_medium') }} as utm_medium,
        {{ clean_text('utm_campaign') }} as utm_campaign,

        ---------- visitor identity
        {{ normalize_email('email') }} as email,
        {{ email_domain('email') }} as email_domain,
        {{ normalize_domain('company_domain') }} as company_domain,

        ---------- timestamps
        cast(viewed_at as {{ dbt.type_timestamp() }}) as viewed_at,

        ---------- lineage
        _source_file,
        _source_line,
        _load_id,
        _loaded_at

    from first_delivery

)

select * from renamed
{{ not_kept_yet('page_view_id', 'renamed') }}

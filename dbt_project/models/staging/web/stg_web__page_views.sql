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

-- Read by the first-delivery check and the three lookups below: scanned again by each, not held
-- in memory (see not_materialized).
source as {{ not_materialized() }} (

    {{ new_event_deliveries(source('web', 'page_view')) }}

),

-- Page views are immutable events: a re-delivered event is the same view, keep its first load.
first_delivery as (

    {{ first_delivery('source', clean_id('event_id')) }}

),

-- The domain regexes run once per distinct value, not once per view: a few thousand referrers,
-- company domains and emails stand behind tens of millions of views (on large the regexes were
-- most of this model's first build). The values come from every new delivery, re-deliveries
-- included (a lookup may hold a value no kept view has: harmless), so that the first deliveries
-- are read once, by `renamed`, and not held in memory for four readers.
referrer_domains as (

    select
        referrers.referrer as raw_referrer,
        {{ normalize_domain('referrers.referrer') }} as referrer_domain
    from (select distinct source.referrer from source) as referrers

),

company_domains as (

    select
        companies.company_domain as raw_company_domain,
        {{ normalize_domain('companies.company_domain') }} as company_domain
    from (select distinct source.company_domain from source) as companies

),

email_addresses as (

    select
        emails.email as raw_email,
        {{ normalize_email('emails.email') }} as email,
        {{ email_domain('emails.email') }} as email_domain
    from (select distinct source.email from source) as emails

),

renamed as (

    select

        ---------- ids
        {{ clean_id('first_delivery.event_id') }} as page_view_id,
        {{ clean_id('first_delivery.visitor_id') }} as visitor_id,
        {{ clean_id('first_delivery.session_id') }} as session_id,

        ---------- page
        {{ clean_text('first_delivery.url') }} as url,
        {{ clean_text('first_delivery.referrer') }} as referrer,
        referrer_domains.referrer_domain,

        ---------- campaign tags
        {{ clean_text('first_delivery.utm_source') }} as utm_source,
        {{ clean_text('first_delivery.utm_medium') }} as utm_medium,
        {{ clean_text('first_delivery.utm_campaign') }} as utm_campaign,

        ---------- visitor identity
        email_addresses.email,
        email_addresses.email_domain,
        company_domains.company_domain,

        ---------- timestamps
        cast(first_delivery.viewed_at as {{ dbt.type_timestamp() }}) as viewed_at,

        ---------- lineage
        first_delivery._source_file,
        first_delivery._source_line,
        first_delivery._load_id,
        first_delivery._loaded_at,
        {{ run_started_timestamp() }} as _staged_at

    from first_delivery
    left join referrer_domains
        on first_delivery.referrer = referrer_domains.raw_referrer
    left join company_domains
        on first_delivery.company_domain = company_domains.raw_company_domain
    left join email_addresses
        on first_delivery.email = email_addresses.raw_email

)

select * from renamed
{{ not_kept_yet('page_view_id', 'renamed') }}

-- The golden record of each person: every field from the best record that has it. Best means:
-- a live record before a deleted (merged-away) one, then source priority (CRM contact, CRM lead,
-- marketing-automation lead, web visitor: the order in which sales curates data), then the most
-- recently modified. The email prefers a business address over a personal one at any source.
-- Incremental: a daily build computes again only the people whose records or title class changed
-- since its last build, and keeps every other person's row (macros/person_golden_refresh.sql).

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ regold_persons() }}",
        post_hook="{{ forget_refreshed_keys('persons_regolden') }}"
    )
}}

-- A field read here must also be in person_golden_fingerprint's list, or a daily build would not
-- see it change.
{% set golden_fields = ['first_name', 'last_name', 'title', 'country', 'company_name'] %}

with

records as (

    select
        records.*,
        clustered.person_id
    from {{ ref('int_person_records_unioned') }} as records
    inner join {{ ref('int_person_records_clustered') }} as clustered
        on records.record_key = clustered.record_key
    where {{ key_is_refreshed('persons_regolden', ['person_id'], 'clustered') }}

),

ranked as (

    select
        person_id,
        email,
        email_domain,
        is_personal_email,
        row_number() over (
            partition by person_id
            order by
                case when email is null then 1 else 0 end,
                case when is_personal_email then 1 else 0 end,
                case when is_deleted then 1 else 0 end,
                source_priority asc,
                modified_at desc,
                record_key asc
        ) as email_rank,
        {% for field in golden_fields %}
            {{ field }},
            row_number() over (
                partition by person_id
                order by
                    case when {{ field }} is null then 1 else 0 end,
                    case when is_deleted then 1 else 0 end,
                    source_priority asc,
                    modified_at desc,
                    record_key asc
            ) as {{ field }}_rank,
        {% endfor %}
        record_key,
        is_deleted,
        source_priority,
        source_system,
        source_object,
        created_at,
        modified_at
    from records

),

golden as (

    select
        person_id,
        max(case when email_rank = 1 then email end) as email,
        max(case when email_rank = 1 then email_domain end) as email_domain,
        coalesce(max(case when email_rank = 1 then is_personal_email end), false) as is_personal_email,
        {% for field in golden_fields %}
            max(case when {{ field }}_rank = 1 then {{ field }} end) as {{ field }},
        {% endfor %}
        count(case when source_system = 'crm' and source_object = 'contact' then 1 end)
            as crm_contact_records,
        count(case when source_system = 'crm' and source_object = 'lead' then 1 end)
            as crm_lead_records,
        count(case when source_system = 'map' then 1 end) as map_lead_records,
        count(case when source_system = 'web' then 1 end) as web_visitor_records,
        min(created_at) as first_seen_at,
        max(modified_at) as last_seen_at,
        {{ person_golden_fingerprint() }} as records_fingerprint
    from ranked
    group by person_id

),

with_title_classes as (

    select
        golden.*,
        titles.department,
        titles.seniority,
        {{ run_started_timestamp() }} as refreshed_at
    from golden
    left join {{ ref('int_titles_classified') }} as titles
        on {{ person_title_key('golden.title') }} = titles.title_key

)

select * from with_title_classes

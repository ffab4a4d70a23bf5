-- Every source record that is a human, in one shape: CRM leads and contacts, marketing-automation
-- leads, and web visitors who identified themselves with an email. One row per source record.

with

crm_contacts as (

    select
        'crm' as source_system,
        'contact' as source_object,
        contact_id as source_record_id,
        1 as source_priority,
        email,
        email_domain,
        first_name,
        last_name,
        title,
        mailing_country as country,
        cast(null as {{ dbt.type_string() }}) as company_name,
        cast(null as {{ dbt.type_string() }}) as company_domain,
        cast(null as {{ dbt.type_string() }}) as industry,
        cast(null as {{ dbt.type_bigint() }}) as number_of_employees,
        account_id as crm_account_id,
        cast(null as {{ dbt.type_string() }}) as converted_contact_id,
        cast(null as {{ dbt.type_string() }}) as linked_crm_lead_id,
        cast(null as {{ dbt.type_string() }}) as linked_crm_contact_id,
        master_record_id,
        is_deleted,
        created_at,
        modified_at
    from {{ ref('stg_crm__contacts') }}

),

crm_leads as (

    select
        'crm' as source_system,
        'lead' as source_object,
        lead_id as source_record_id,
        2 as source_priority,
        email,
        email_domain,
        first_name,
        last_name,
        title,
        country,
        company_name,
        website_domain as company_domain,
        industry,
        number_of_employees,
        converted_account_id as crm_account_id,
        converted_contact_id,
        cast(null as {{ dbt.type_string() }}) as linked_crm_lead_id,
        cast(null as {{ dbt.type_string() }}) as linked_crm_contact_id,
        master_record_id,
        is_deleted,
        created_at,
        modified_at
    from {{ ref('stg_crm__leads') }}

),

map_leads as (

    select
        'map' as source_system,
        'lead' as source_object,
        map_lead_id as source_record_id,
        3 as source_priority,
        email,
        email_domain,
        first_name,
        last_name,
        title,
        country,
        company_name,
        website_domain as company_domain,
        industry,
        number_of_employees,
        crm_account_id,
        cast(null as {{ dbt.type_string() }}) as converted_contact_id,
        crm_lead_id as linked_crm_lead_id,
        crm_contact_id as linked_crm_contact_id,
        cast(null as {{ dbt.type_string() }}) as master_record_id,
        false as is_deleted,
        created_at,
        updated_at as modified_at
    from {{ ref('stg_map__leads') }}

),

identified_page_views as (

    select
        visitor_id,
        email,
        email_domain,
        viewed_at,
        row_number() over (
            partition by visitor_id order by viewed_at, page_view_id
        ) as identification_rank,
        max(viewed_at) over (partition by visitor_id) as last_identified_at
    from {{ ref('stg_web__page_views') }}
    where email is not null

),

-- A browser cookie is one record; its email is the first one it gave (a shared computer may
-- later give another, which must not pull a second human into this record).
web_visitors as (

    select
        'web' as source_system,
        'visitor' as source_object,
        visitor_id as source_record_id,
        4 as source_priority,
        email,
        email_domain,
        cast(null as {{ dbt.type_string() }}) as first_name,
        cast(null as {{ dbt.type_string() }}) as last_name,
        cast(null as {{ dbt.type_string() }}) as title,
        cast(null as {{ dbt.type_string() }}) as country,
        cast(null as {{ dbt.type_string() }}) as company_name,
        cast(null as {{ dbt.type_string() }}) as company_domain,
        cast(null as {{ dbt.type_string() }}) as industry,
        cast(null as {{ dbt.type_bigint() }}) as number_of_employees,
        cast(null as {{ dbt.type_string() }}) as crm_account_id,
        cast(null as {{ dbt.type_string() }}) as converted_contact_id,
        cast(null as {{ dbt.type_string() }}) as linked_crm_lead_id,
        cast(null as {{ dbt.type_string() }}) as linked_crm_contact_id,
        cast(null as {{ dbt.type_string() }}) as master_record_id,
        false as is_deleted,
        viewed_at as created_at,
        last_identified_at as modified_at
    from identified_page_views
    where identification_rank = 1

),

unioned as (

    select * from crm_contacts
    union all
    select * from crm_leads
    union all
    select * from map_leads
    union all
    select * from web_visitors

),

personal_domains as (

    select domain from {{ ref('personal_email_domains') }}

),

keyed as (

    select
        unioned.source_system || ':' || unioned.source_object || ':' || unioned.source_record_id
            as record_key,
        unioned.source_system,
        unioned.source_object,
        unioned.source_record_id,
        unioned.source_priority,

        ---------- email
        unioned.email,
        unioned.email_domain,
        -- local part at the folded domain: jane@mail.acme.com and jane@acme.com meet here
        {{ dbt.split_part('unioned.email', "'@'", 1) }} || '@' || unioned.email_domain as email_folded,
        personal_domains.domain is not null as is_personal_email,

        ---------- person
        unioned.first_name,
        unioned.last_name,
        case
            when unioned.first_name is not null and unioned.last_name is not null
                then lower(unioned.first_name) || ' ' || lower(unioned.last_name)
        end as full_name_key,
        unioned.title,
        unioned.country,

        ---------- company
        unioned.company_name,
        unioned.company_domain,
        unioned.industry,
        unioned.number_of_employees,
        unioned.crm_account_id,

        ---------- links to other records
        unioned.converted_contact_id,
        unioned.linked_crm_lead_id,
        unioned.linked_crm_contact_id,
        unioned.master_record_id,

        ---------- status and time
        unioned.is_deleted,
        unioned.created_at,
        unioned.modified_at

    from unioned
    left join personal_domains
        on unioned.email_domain = personal_domains.domain

)

select * from keyed

-- Every piece of evidence tying a person record to an account, strongest first:
--   1 crm_contact_account        the CRM contact's AccountId (sales put them there)
--   2 crm_converted_lead_account the account a lead was converted into
--   3 map_crm_account            the CRM account the marketing-automation record is synced to
--   4 business_email_domain      the domain of a business email
--   5 company_website_domain     the company website typed on a lead or form
-- A domain with a CRM account lands on it; any other business domain is an account of its own
-- ('domain:<domain>'). Free and disposable email domains are never evidence, so a person on a
-- personal email reaches an account only through the CRM (1-3). Unconverted leads land on their
-- account through 4 and 5: the split that breaks person-only scoring.

with

records as (

    select
        records.*,
        clustered.person_id
    from {{ ref('int_person_records_unioned') }} as records
    inner join {{ ref('int_person_records_clustered') }} as clustered
        on records.record_key = clustered.record_key

),

crm_accounts as (

    select
        crm_account_id,
        account_id
    from {{ ref('int_crm_accounts_resolved') }}

),

account_domains as (

    select
        domain,
        account_id
    from {{ ref('int_account_domains') }}

),

personal_domains as (

    select domain from {{ ref('personal_email_domains') }}

),

crm_linked as (

    select
        records.record_key,
        records.person_id,
        crm_accounts.account_id,
        case
            when
                records.source_system = 'crm' and records.source_object = 'contact'
                then 'crm_contact_account'
            when records.source_system = 'crm' then 'crm_converted_lead_account'
            else 'map_crm_account'
        end as rule,
        case
            when records.source_system = 'crm' and records.source_object = 'contact' then 1
            when records.source_system = 'crm' then 2
            else 3
        end as strength,
        records.modified_at
    from records
    inner join crm_accounts on records.crm_account_id = crm_accounts.crm_account_id

),

domain_linked as (

    select
        records.record_key,
        records.person_id,
        records.email_domain as domain,
        'business_email_domain' as rule,
        4 as strength,
        records.modified_at
    from records
    where records.email_domain is not null and not records.is_personal_email

    union all

    select
        records.record_key,
        records.person_id,
        records.company_domain as domain,
        'company_website_domain' as rule,
        5 as strength,
        records.modified_at
    from records
    left join personal_domains on records.company_domain = personal_domains.domain
    where records.company_domain is not null and personal_domains.domain is null

),

domain_resolved as (

    select
        domain_linked.record_key,
        domain_linked.person_id,
        coalesce(account_domains.account_id, 'domain:' || domain_linked.domain) as account_id,
        domain_linked.rule,
        domain_linked.strength,
        domain_linked.modified_at
    from domain_linked
    left join account_domains on domain_linked.domain = account_domains.domain

),

evidence as (

    select * from crm_linked
    union all
    select * from domain_resolved

)

select * from evidence

-- One row per company: the canonical CRM accounts and the companies known only from their
-- people's business domains, with firmographics, the hierarchy and the people at each.

with

persons_per_account as (

    select
        account_id,
        count(*) as persons,
        count(case when crm_contact_records > 0 then 1 end) as persons_with_crm_contact,
        count(case when crm_contact_records = 0 and crm_lead_records > 0 then 1 end)
            as persons_with_crm_lead_only,
        count(case when crm_contact_records = 0 and crm_lead_records = 0 then 1 end)
            as persons_outside_crm
    from {{ ref('dim_persons') }}
    where account_id is not null
    group by account_id

)

select
    accounts.account_id,
    accounts.account_name,
    accounts.primary_domain,
    accounts.is_crm_account,

    ---------- firmographics
    accounts.industry,
    accounts.number_of_employees,
    accounts.country,
    accounts.tech_stack,
    accounts.account_type,

    ---------- hierarchy
    accounts.parent_account_id,
    accounts.ultimate_parent_account_id,

    ---------- people
    coalesce(persons_per_account.persons, 0) as persons,
    coalesce(persons_per_account.persons_with_crm_contact, 0) as persons_with_crm_contact,
    coalesce(persons_per_account.persons_with_crm_lead_only, 0) as persons_with_crm_lead_only,
    coalesce(persons_per_account.persons_outside_crm, 0) as persons_outside_crm

from {{ ref('int_accounts_unioned') }} as accounts
left join persons_per_account on accounts.account_id = persons_per_account.account_id

-- The business email domain most of a CRM account's contacts use. It stands in for the account's
-- domain when the account has no website, so that the account's unconverted leads and other
-- people on that domain still find it instead of founding a second account for the same company.

with

contacts as (

    select
        resolved.account_id,
        contacts.email_domain
    from {{ ref('stg_crm__contacts') }} as contacts
    inner join {{ ref('int_crm_accounts_resolved') }} as resolved
        on contacts.account_id = resolved.crm_account_id
    left join {{ ref('personal_email_domains') }} as personal_domains
        on contacts.email_domain = personal_domains.domain
    where
        not contacts.is_deleted
        and contacts.email_domain is not null
        and personal_domains.domain is null

),

per_domain as (

    select
        account_id,
        email_domain as domain,
        count(*) as contacts_on_domain
    from contacts
    group by account_id, email_domain

),

ranked as (

    select
        account_id,
        domain,
        contacts_on_domain,
        sum(contacts_on_domain) over (partition by account_id) as contacts_with_business_email,
        row_number() over (
            partition by account_id order by contacts_on_domain desc, domain asc
        ) as domain_rank
    from per_domain

)

select
    account_id,
    domain,
    contacts_on_domain,
    contacts_with_business_email
from ranked
where domain_rank = 1

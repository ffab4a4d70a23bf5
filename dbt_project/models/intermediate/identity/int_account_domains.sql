-- The account each business domain belongs to. A CRM account's own website comes first (the
-- domain's canonical account, see int_crm_accounts_resolved); a domain no website claims goes to
-- the CRM account without a website whose contacts mostly use it (more contacts first). Free and
-- disposable email domains never appear (both sources exclude them).

with

website_domains as (

    select
        website_domain as domain,
        crm_account_id as account_id,
        'website' as domain_source,
        1 as source_priority,
        0 as contacts_on_domain
    from {{ ref('int_crm_accounts_resolved') }}
    where is_domain_canonical

),

contact_email_domains as (

    select
        contact_domains.domain,
        contact_domains.account_id,
        'contact_email' as domain_source,
        2 as source_priority,
        contact_domains.contacts_on_domain
    from {{ ref('int_crm_account_contact_domains') }} as contact_domains
    inner join {{ ref('stg_crm__accounts') }} as accounts
        on contact_domains.account_id = accounts.account_id
    where accounts.website_domain is null

),

candidates as (

    select * from website_domains
    union all
    select * from contact_email_domains

),

ranked as (

    select
        domain,
        account_id,
        domain_source,
        row_number() over (
            partition by domain order by source_priority asc, contacts_on_domain desc, account_id asc
        ) as claim_rank
    from candidates

)

select
    domain,
    account_id,
    domain_source
from ranked
where claim_rank = 1

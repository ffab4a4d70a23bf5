-- The account each business domain belongs to: the canonical CRM account of the domain (see
-- int_crm_accounts_resolved, which never takes a free or
-- disposable email domain as an account domain).

select
    website_domain as domain,
    crm_account_id as account_id
from {{ ref('int_crm_accounts_resolved') }}
where is_domain_canonical

-- For the CRM owners: live CRM accounts that share one website domain, which the warehouse treats
-- as one company, and the account it kept. Each row is a record to merge (or to tell apart) in the CRM.

select
    duplicates.website_domain,
    duplicates.account_id as kept_account_id,
    duplicates.crm_account_id as duplicate_account_id,
    duplicates.accounts_on_domain,
    accounts.account_name as duplicate_account_name,
    accounts.created_at as duplicate_created_at
from {{ ref('int_crm_accounts_resolved') }} as duplicates
inner join {{ ref('stg_crm__accounts') }} as accounts
    on duplicates.crm_account_id = accounts.account_id
where duplicates.rule = 'crm_same_domain_duplicate'

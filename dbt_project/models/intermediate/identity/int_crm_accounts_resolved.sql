-- Every CRM account record, resolved to the account it stands for. A record merged away in the
-- CRM follows its MasterRecordId (up to three merges deep). Live accounts that share a website
-- domain are one company entered twice: they resolve to the domain's canonical account, the
-- top-level one (no parent) created first, then the smallest id, a choice that does not move
-- when contacts are added. A subsidiary whose parent is that canonical account keeps its own
-- identity. rpt_crm_account_domain_collisions lists every such case for the CRM owners.

with

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

personal_domains as (

    select domain from {{ ref('personal_email_domains') }}

),

merge_survivors as (

    select
        accounts.account_id,
        coalesce(
            merged_into_again.master_record_id,
            merged_into.master_record_id,
            accounts.master_record_id,
            accounts.account_id
        ) as survivor_account_id
    from accounts
    left join accounts as merged_into on accounts.master_record_id = merged_into.account_id
    left join accounts as merged_into_again on merged_into.master_record_id = merged_into_again.account_id

),

live_accounts_by_domain as (

    select
        accounts.account_id,
        accounts.parent_account_id,
        accounts.website_domain,
        row_number() over (
            partition by accounts.website_domain
            order by
                case when accounts.parent_account_id is null then 0 else 1 end,
                accounts.created_at,
                accounts.account_id
        ) as domain_rank,
        count(*) over (partition by accounts.website_domain) as accounts_on_domain
    from accounts
    left join personal_domains on accounts.website_domain = personal_domains.domain
    where
        not accounts.is_deleted
        and accounts.website_domain is not null
        and personal_domains.domain is null

),

domain_canonical as (

    select
        website_domain,
        account_id as canonical_account_id,
        accounts_on_domain
    from live_accounts_by_domain
    where domain_rank = 1

),

-- Where each live account goes when domains are folded: to the domain's canonical account,
-- unless it is that account or its subsidiary.
domain_resolved as (

    select
        accounts.account_id,
        case
            when
                domain_canonical.canonical_account_id != accounts.account_id
                and coalesce(accounts.parent_account_id, '') != domain_canonical.canonical_account_id
                then domain_canonical.canonical_account_id
            else accounts.account_id
        end as resolved_account_id,
        coalesce(domain_canonical.canonical_account_id = accounts.account_id, false) as is_domain_canonical,
        coalesce(domain_canonical.accounts_on_domain, 1) as accounts_on_domain
    from accounts
    left join domain_canonical
        on accounts.website_domain = domain_canonical.website_domain and not accounts.is_deleted

),

resolved as (

    select
        accounts.account_id as crm_account_id,
        accounts.website_domain,
        coalesce(survivor.resolved_account_id, merge_survivors.survivor_account_id) as account_id,
        case
            when merge_survivors.survivor_account_id != accounts.account_id then 'crm_master_record'
            when survivor.resolved_account_id != accounts.account_id then 'crm_same_domain_duplicate'
            else 'crm_account'
        end as rule,
        coalesce(own.is_domain_canonical, false) as is_domain_canonical,
        coalesce(own.accounts_on_domain, 1) as accounts_on_domain
    from accounts
    inner join merge_survivors on accounts.account_id = merge_survivors.account_id
    left join domain_resolved as own on accounts.account_id = own.account_id
    left join domain_resolved as survivor on merge_survivors.survivor_account_id = survivor.account_id

)

select * from resolved

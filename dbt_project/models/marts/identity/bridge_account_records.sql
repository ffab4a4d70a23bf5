-- Which account each source record belongs to: every CRM account record (duplicates and merged
-- records on their canonical account) and every person record (on its person's account, or
-- none when nothing ties the person to a company).

with

crm_account_records as (

    select
        'crm' as source_system,
        'account' as source_object,
        crm_account_id as source_record_id,
        account_id,
        rule
    from {{ ref('int_crm_accounts_resolved') }}

),

person_records as (

    select
        bridge.source_system,
        bridge.source_object,
        bridge.source_record_id,
        assigned.account_id,
        coalesce(assigned.account_rule, 'no_account_evidence') as rule
    from {{ ref('bridge_person_records') }} as bridge
    left join {{ ref('int_persons_accounts_assigned') }} as assigned
        on bridge.person_id = assigned.person_id

)

select * from crm_account_records
union all
select * from person_records

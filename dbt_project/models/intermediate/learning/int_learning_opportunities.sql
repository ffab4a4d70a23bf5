-- Every CRM opportunity on its canonical account, with the dates that make it an outcome (created)
-- or make its account "already in a deal" (open between creation and close). Deleted ones are
-- left out.

with

accounts as (

    select
        source_record_id as crm_account_id,
        account_id
    from {{ ref('bridge_account_records') }}
    where source_system = 'crm' and source_object = 'account'

)

select
    opportunities.opportunity_id,
    accounts.account_id,
    cast(opportunities.created_at as date) as created_date,
    opportunities.is_won,
    case when opportunities.is_closed then opportunities.close_date end as closed_date
from {{ ref('stg_crm__opportunities') }} as opportunities
inner join accounts on opportunities.account_id = accounts.crm_account_id
where not opportunities.is_deleted

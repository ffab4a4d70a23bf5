-- CRM opportunities open on the scoring date, on their canonical account: created on or before
-- the date and not closed by then (still open, or closed after the date). Deleted records are
-- left out. segment maps the opportunity type to a buyer-committee segment.

with

as_of as (

    select as_of_date from {{ ref('int_scoring_as_of') }}

),

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
    opportunities.opportunity_name,
    opportunities.opportunity_type,
    opportunities.stage_name,
    opportunities.amount,
    opportunities.close_date,
    as_of.as_of_date,
    cast(opportunities.created_at as date) as created_date,
    case lower(opportunities.opportunity_type)
        when 'new business' then 'new_business'
        when 'expansion' then 'expansion'
        when 'services' then 'services'
        else 'new_business'
    end as segment
from {{ ref('stg_crm__opportunities') }} as opportunities
inner join accounts on opportunities.account_id = accounts.crm_account_id
cross join as_of
where
    not opportunities.is_deleted
    and cast(opportunities.created_at as date) <= as_of.as_of_date
    and (not opportunities.is_closed or opportunities.close_date > as_of.as_of_date)

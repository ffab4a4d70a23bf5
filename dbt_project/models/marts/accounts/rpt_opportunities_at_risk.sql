-- Open opportunities (on the scoring date) whose required buyer-committee roles never engaged: for
-- each scoring model, the required roles of the opportunity's segment (New Business, Expansion,
-- Services) with no engaged person at the account in the model's lookback (an account nobody
-- engaged at misses them all). One row per opportunity and model that misses at least one.

with

opportunities as (

    select * from {{ ref('int_account_opportunities_opened') }}

),

missing as (

    select
        opportunities.opportunity_id,
        rules.model_id,
        count(*) as required_roles_missing,
        {{ ordered_list('committees.role', "', '", 'committees.role') }} as missing_required_roles
    from opportunities
    cross join {{ ref('mqa_rules') }} as rules
    inner join {{ ref('buyer_committees') }} as committees
        on opportunities.segment = committees.segment and committees.required_for_mqa
    left join {{ ref('int_account_committee_roles_filled') }} as filled_roles
        on
            opportunities.account_id = filled_roles.account_id
            and rules.model_id = filled_roles.model_id
            and committees.segment = filled_roles.segment
            and committees.role = filled_roles.role
    where not coalesce(filled_roles.is_filled, false)
    group by opportunities.opportunity_id, rules.model_id

)

select
    opportunities.opportunity_id,
    missing.model_id,
    opportunities.account_id,
    dim_accounts.account_name,
    opportunities.opportunity_name,
    opportunities.opportunity_type,
    opportunities.segment,
    opportunities.stage_name,
    opportunities.amount,
    opportunities.created_date,
    opportunities.as_of_date,
    missing.required_roles_missing,
    missing.missing_required_roles,
    scores.engaged_people,
    scores.departments,
    scores.coverage
from missing
inner join opportunities on missing.opportunity_id = opportunities.opportunity_id
left join {{ ref('dim_accounts') }} as dim_accounts on opportunities.account_id = dim_accounts.account_id
left join {{ ref('fct_account_scores') }} as scores
    on opportunities.account_id = scores.account_id and missing.model_id = scores.model_id

-- Every buyer-committee role (of every segment) at every scored account, per model, and whether
-- an engaged person fills it: one whose department is among the role's departments ('|'-separated)
-- and whose seniority level is at least the role's minimum. filled_by counts those people.

with

persons as (

    select * from {{ ref('int_account_persons_capped') }}

),

accounts as (

    select distinct
        account_id,
        model_id
    from persons

),

roles as (

    select
        committees.segment,
        committees.role,
        committees.departments,
        committees.min_seniority,
        levels.level as min_level,
        committees.importance,
        committees.required_for_mqa
    from {{ ref('buyer_committees') }} as committees
    inner join {{ ref('seniority_levels') }} as levels
        on committees.min_seniority = levels.seniority

),

fillers as (

    select
        persons.account_id,
        persons.model_id,
        roles.segment,
        roles.role,
        count(*) as filled_by
    from persons
    inner join roles
        on
            '|' || roles.departments || '|' like '%|' || persons.department || '|%'
            and persons.seniority_level >= roles.min_level
    where persons.is_engaged
    group by persons.account_id, persons.model_id, roles.segment, roles.role

)

select
    accounts.account_id,
    accounts.model_id,
    roles.segment,
    roles.role,
    roles.importance,
    roles.required_for_mqa,
    coalesce(fillers.filled_by, 0) as filled_by,
    coalesce(fillers.filled_by, 0) > 0 as is_filled
from accounts
cross join roles
left join fillers
    on
        accounts.account_id = fillers.account_id
        and accounts.model_id = fillers.model_id
        and roles.segment = fillers.segment
        and roles.role = fillers.role

-- An account's engagement is the sum of its people's capped contributions, and no person adds more
-- than the model's cap. Returns the accounts that disagree (beyond float rounding) or exceed it.

with

contributions as (

    select
        persons.account_id,
        persons.model_id,
        sum(persons.contribution) as contributions,
        max(persons.contribution) as largest_contribution,
        max(rules.person_contribution_cap) as person_contribution_cap
    from {{ ref('int_account_persons_capped') }} as persons
    inner join {{ ref('mqa_rules') }} as rules on persons.model_id = rules.model_id
    group by persons.account_id, persons.model_id

)

select
    scores.account_id,
    scores.model_id,
    scores.engagement,
    contributions.contributions,
    contributions.largest_contribution,
    contributions.person_contribution_cap
from {{ ref('fct_account_scores') }} as scores
left join contributions
    on scores.account_id = contributions.account_id and scores.model_id = contributions.model_id
where
    contributions.account_id is null
    or abs(scores.engagement - contributions.contributions) > 0.000001
    or contributions.largest_contribution > contributions.person_contribution_cap

-- The examples a learned model is trained, tested and scored on: one row per person (or account)
-- in the model's segment and cutoff date. A person is an example at a cutoff when first seen on or
-- before it; an account when one of its people is. People and accounts already in an open deal at a
-- training or test cutoff are left out (their outcome is not in question). The label: the model's
-- target outcome at the (person's) account within the horizon after the cutoff, i.e. an
-- opportunity created on a day in (cutoff_date, horizon_end_date], and won when the target is
-- opportunity_won. Rows of split 'score' carry no label.

with

cutoffs as (

    select * from {{ ref('int_learning_cutoffs') }}

),

models as (

    select
        model_id,
        target_outcome
    from {{ ref('scoring_models') }}

),

persons as (

    select
        model_persons.model_id,
        model_persons.person_id,
        persons.account_id,
        cast(persons.first_seen_at as date) as first_seen_date
    from {{ ref('int_scoring_model_persons') }} as model_persons
    inner join {{ ref('dim_persons') }} as persons on model_persons.person_id = persons.person_id

),

person_examples as (

    select
        cutoffs.entity_type,
        cutoffs.model_id,
        persons.person_id as entity_id,
        persons.account_id,
        cutoffs.cutoff_date,
        cutoffs.horizon_end_date,
        cutoffs.split
    from cutoffs
    inner join persons
        on
            cutoffs.model_id = persons.model_id
            and cutoffs.cutoff_date >= persons.first_seen_date
    where cutoffs.entity_type = 'person'

),

account_examples as (

    select distinct
        cutoffs.entity_type,
        cutoffs.model_id,
        persons.account_id as entity_id,
        persons.account_id,
        cutoffs.cutoff_date,
        cutoffs.horizon_end_date,
        cutoffs.split
    from cutoffs
    inner join persons
        on
            cutoffs.model_id = persons.model_id
            and cutoffs.cutoff_date >= persons.first_seen_date
    where cutoffs.entity_type = 'account' and persons.account_id is not null

),

examples as (

    select * from person_examples
    union all
    select * from account_examples

),

opportunities as (

    select * from {{ ref('int_learning_opportunities') }}

),

in_open_deal as (

    select distinct
        examples.entity_type,
        examples.model_id,
        examples.entity_id,
        examples.cutoff_date
    from examples
    inner join opportunities
        on
            examples.account_id = opportunities.account_id
            and examples.cutoff_date >= opportunities.created_date
            and (opportunities.closed_date is null or examples.cutoff_date < opportunities.closed_date)

),

outcomes as (

    select
        examples.entity_type,
        examples.model_id,
        examples.entity_id,
        examples.cutoff_date,
        min(opportunities.created_date) as label_date
    from examples
    inner join models on examples.model_id = models.model_id
    inner join opportunities
        on
            examples.account_id = opportunities.account_id
            and examples.cutoff_date < opportunities.created_date
            and examples.horizon_end_date >= opportunities.created_date
            and (models.target_outcome = 'opportunity_created' or opportunities.is_won)
    where examples.split != 'score'
    group by examples.entity_type, examples.model_id, examples.entity_id, examples.cutoff_date

)

select
    examples.entity_type,
    examples.model_id,
    examples.entity_id,
    examples.account_id,
    examples.cutoff_date,
    examples.horizon_end_date,
    examples.split,
    outcomes.label_date,
    case when examples.split != 'score' then outcomes.label_date is not null end as label
from examples
left join outcomes
    on
        examples.entity_type = outcomes.entity_type
        and examples.model_id = outcomes.model_id
        and examples.entity_id = outcomes.entity_id
        and examples.cutoff_date = outcomes.cutoff_date
where
    examples.split = 'score'
    or not exists (
        select 1
        from in_open_deal
        where
            in_open_deal.entity_type = examples.entity_type
            and in_open_deal.model_id = examples.model_id
            and in_open_deal.entity_id = examples.entity_id
            and in_open_deal.cutoff_date = examples.cutoff_date
    )

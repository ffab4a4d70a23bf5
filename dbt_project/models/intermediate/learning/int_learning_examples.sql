-- The examples a learned model is trained, tested and scored on: one row per person (or account)
-- in the model's segment and cutoff date. A person is an example at a cutoff when first seen on or
-- before it; an account when one of its people is. People and accounts already in an open deal at a
-- training or test cutoff are left out (their outcome is not in question). The label: the model's
-- target outcome at the (person's) account within the horizon after the cutoff, i.e. an
-- opportunity created on a day in (cutoff_date, horizon_end_date], and won when the target is
-- opportunity_won. Rows of split 'score' carry no label.
-- Past cutoffs (train, test) take at most learning_settings.backtest_max_entities of the model's
-- people (or accounts): the ones whose id has the lowest md5, a fixed pseudo-random sample, so the
-- backtest costs the same however large the warehouse grows. The scoring date takes everyone.
-- Incremental: the train and test rows are computed once per backtest key (a retrain date and the
-- model's configuration, int_learning_cutoffs) and kept; the score rows are replaced on every run
-- (macros/learning_backtest.sql).

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_outdated_learning_rows() }}"
    )
}}

with

cutoffs as (

    select *
    from {{ ref('int_learning_cutoffs') }} as cutoffs
    where {{ learning_rows_to_compute('cutoffs') }}

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
        cutoffs.split,
        cutoffs.retrain_date,
        cutoffs.backtest_key
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
        cutoffs.split,
        cutoffs.retrain_date,
        cutoffs.backtest_key
    from cutoffs
    inner join persons
        on
            cutoffs.model_id = persons.model_id
            and cutoffs.cutoff_date >= persons.first_seen_date
    where cutoffs.entity_type = 'account' and persons.account_id is not null

),

settings as (

    select
        entity_type,
        model_id,
        backtest_max_entities
    from {{ ref('learning_settings') }}

),

-- The sample is drawn only for the models whose backtest is computed in this build: on a day the
-- backtest is kept, no past cutoff is, and ranking every person's hash would be wasted.
models_to_sample as (

    select distinct
        entity_type,
        model_id
    from cutoffs
    where split != 'score'

),

model_entities as (

    select distinct
        'person' as entity_type,
        persons.model_id,
        persons.person_id as entity_id
    from persons
    inner join models_to_sample
        on persons.model_id = models_to_sample.model_id and models_to_sample.entity_type = 'person'
    union all
    select distinct
        'account' as entity_type,
        persons.model_id,
        persons.account_id as entity_id
    from persons
    inner join models_to_sample
        on persons.model_id = models_to_sample.model_id and models_to_sample.entity_type = 'account'
    where persons.account_id is not null

),

backtest_entities as (

    select
        sampled.entity_type,
        sampled.model_id,
        sampled.entity_id
    from (
        select
            model_entities.*,
            row_number() over (
                partition by model_entities.entity_type, model_entities.model_id
                order by {{ dbt.hash('model_entities.entity_id') }}, model_entities.entity_id
            ) as sample_rank
        from model_entities
    ) as sampled
    inner join settings
        on sampled.entity_type = settings.entity_type and sampled.model_id = settings.model_id
    where settings.backtest_max_entities is null or sampled.sample_rank <= settings.backtest_max_entities

),

all_examples as (

    select * from person_examples
    union all
    select * from account_examples

),

examples as (

    select all_examples.*
    from all_examples
    left join backtest_entities
        on
            all_examples.entity_type = backtest_entities.entity_type
            and all_examples.model_id = backtest_entities.model_id
            and all_examples.entity_id = backtest_entities.entity_id
    where all_examples.split = 'score' or backtest_entities.entity_id is not null

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
    examples.retrain_date,
    examples.backtest_key,
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

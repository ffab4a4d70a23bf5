-- The hand-set rule score of every example at its cutoff, the baseline a learned model must beat.
-- A person: fit points (their matched fit rules) plus interest points decayed to the cutoff and
-- floored at 0 (the same arithmetic as the live score, macros capped_interest_events and
-- decayed_interest_events). An account: the engagement the MQA rules count, the sum over its
-- people in the segment, known by the cutoff, of their interest points capped at the model's
-- person_contribution_cap.
-- On the scoring date the interest score is the published one (int_person_scores_routed: every
-- scored person's decayed points, floored at 0), read rather than summed again from the 16M decayed
-- events; past cutoffs cap and decay the activities of the backtest's people.
-- Incremental like the examples: the train and test rows are computed once per backtest key and
-- kept, the score rows replaced on every run (macros/learning_backtest.sql).

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_outdated_learning_rows() }}"
    )
}}

-- depends_on: {{ ref('int_learning_cutoffs') }} (read by the pre-hook)

with

examples as (

    select *
    from {{ ref('int_learning_examples') }} as examples
    where {{ learning_rows_to_compute('examples') }}

),

models as (

    select
        model_id,
        rule_version
    from {{ ref('scoring_models') }}

),

model_persons as (

    select
        model_persons.model_id,
        model_persons.person_id,
        persons.account_id,
        cast(persons.first_seen_at as date) as first_seen_date
    from {{ ref('int_scoring_model_persons') }} as model_persons
    inner join {{ ref('dim_persons') }} as persons on model_persons.person_id = persons.person_id

),

account_members as (

    select
        examples.model_id,
        examples.entity_id as account_id,
        examples.cutoff_date,
        examples.split,
        model_persons.person_id
    from examples
    inner join model_persons
        on
            examples.model_id = model_persons.model_id
            and examples.entity_id = model_persons.account_id
            and examples.cutoff_date >= model_persons.first_seen_date
    where examples.entity_type = 'account'

),

-- The people of past cutoffs (the backtest's sample and the members of its accounts).
backtest_persons as (

    select distinct
        people.person_id,
        people.model_id,
        models.rule_version,
        people.cutoff_date as as_of_date
    from (
        select
            entity_id as person_id,
            model_id,
            cutoff_date
        from examples
        where entity_type = 'person' and split != 'score'
        union all
        select
            person_id,
            model_id,
            cutoff_date
        from account_members
        where split != 'score'
    ) as people
    inner join models on people.model_id = models.model_id

),

backtest_capped as (

    {{ capped_interest_events('backtest_persons') }}

),

backtest_events as (

    {{ decayed_interest_events('backtest_capped') }}

),

interest as (

    select
        person_id,
        model_id,
        as_of_date as cutoff_date,
        greatest(sum(points), 0) as interest_score
    from backtest_events
    group by person_id, model_id, as_of_date
    union all
    select
        person_id,
        model_id,
        as_of_date as cutoff_date,
        interest_score
    from {{ ref('int_person_scores_routed') }}

),

fit as (

    select
        person_id,
        model_id,
        sum(points) as fit_score
    from {{ ref('int_fit_rules_matched') }}
    group by person_id, model_id

),

person_scores as (

    select
        examples.entity_type,
        examples.model_id,
        examples.entity_id,
        examples.cutoff_date,
        coalesce(fit.fit_score, 0) + coalesce(interest.interest_score, 0) as rule_score,
        examples.backtest_key
    from examples
    left join fit on examples.entity_id = fit.person_id and examples.model_id = fit.model_id
    left join interest
        on
            examples.entity_id = interest.person_id
            and examples.model_id = interest.model_id
            and examples.cutoff_date = interest.cutoff_date
    where examples.entity_type = 'person'

),

account_scores as (

    select
        examples.entity_type,
        examples.model_id,
        examples.entity_id,
        examples.cutoff_date,
        -- a member without interest adds 0 (least() skips a null, which would add the cap)
        coalesce(
            sum(least(coalesce(interest.interest_score, 0), mqa_rules.person_contribution_cap)), 0
        ) as rule_score,
        examples.backtest_key
    from examples
    inner join {{ ref('mqa_rules') }} as mqa_rules on examples.model_id = mqa_rules.model_id
    left join account_members
        on
            examples.model_id = account_members.model_id
            and examples.entity_id = account_members.account_id
            and examples.cutoff_date = account_members.cutoff_date
    left join interest
        on
            account_members.person_id = interest.person_id
            and account_members.model_id = interest.model_id
            and account_members.cutoff_date = interest.cutoff_date
    where examples.entity_type = 'account'
    group by
        examples.entity_type,
        examples.model_id,
        examples.entity_id,
        examples.cutoff_date,
        examples.backtest_key

)

select * from person_scores
union all
select * from account_scores

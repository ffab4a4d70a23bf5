-- Every training and test example's score under each method, one row per method: rules (hand-set
-- points), learned (SQL weights of evidence), blended, and the scikit-learn challenger once its
-- Dagster asset has written learning.challenger_predictions (until then the challenger has no rows).
-- Higher score = more likely; probability is null where a method has none (rules, blended).
-- Incremental: a model's rows are kept while its scores' and the challenger's fingerprints stay the
-- same (backtest_fingerprint, macros/learning_backtest.sql): between two retrain dates a daily run
-- computes none.

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_outdated_backtest_results(learning_predictions_fingerprints()) }}"
    )
}}

{%- set challenger = source('learning', 'challenger_predictions') %}
{%- set challenger_exists = challenger_predictions_exist() %}

with

fingerprints as (

    {{ learning_predictions_fingerprints() }}

),

scores as (

    select
        scores.*,
        fingerprints.backtest_fingerprint as predictions_fingerprint
    from {{ ref('int_learning_scores') }} as scores
    left join fingerprints
        on scores.entity_type = fingerprints.entity_type and scores.model_id = fingerprints.model_id
    where scores.split in ('train', 'test') and {{ learning_rows_to_compute('scores') }}

),

methods as (

    select
        entity_type,
        model_id,
        'rules' as method,
        entity_id,
        cutoff_date,
        split,
        label,
        cast(rule_score as {{ type_double() }}) as score,
        cast(null as {{ type_double() }}) as probability,
        predictions_fingerprint as backtest_fingerprint
    from scores
    union all
    select
        entity_type,
        model_id,
        'learned' as method,
        entity_id,
        cutoff_date,
        split,
        label,
        learned_log_odds as score,
        learned_probability as probability,
        predictions_fingerprint as backtest_fingerprint
    from scores
    union all
    select
        entity_type,
        model_id,
        'blended' as method,
        entity_id,
        cutoff_date,
        split,
        label,
        blended_score as score,
        cast(null as {{ type_double() }}) as probability,
        predictions_fingerprint as backtest_fingerprint
    from scores
    {% if challenger_exists %}
        union all
        select
            scores.entity_type,
            scores.model_id,
            'challenger' as method,
            scores.entity_id,
            scores.cutoff_date,
            scores.split,
            scores.label,
            cast(challenger.probability as {{ type_double() }}) as score,
            cast(challenger.probability as {{ type_double() }}) as probability,
            scores.predictions_fingerprint as backtest_fingerprint
        from scores
        inner join {{ challenger }} as challenger
            on
                scores.entity_type = challenger.entity_type
                and scores.model_id = challenger.model_id
                and scores.entity_id = challenger.entity_id
                and scores.cutoff_date = cast(challenger.cutoff_date as date)
    {% endif %}

)

select * from methods

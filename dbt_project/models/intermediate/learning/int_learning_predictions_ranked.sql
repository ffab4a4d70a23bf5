-- Each prediction's place within its model, method and split: the average rank of its score from
-- the bottom (ties share the mean of their ranks, as the rank-sum form of AUC needs), its position
-- from the top (ties broken by entity and cutoff, for top-k precision) and its decile (1 = top 10%).
-- Incremental like the predictions: a model's rows are kept while its predictions are
-- (backtest_fingerprint, macros/learning_backtest.sql).

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_outdated_backtest_results(
            'select distinct entity_type, model_id, backtest_fingerprint from ' ~ ref('int_learning_predictions')
        ) }}"
    )
}}

with

predictions as (

    select *
    from {{ ref('int_learning_predictions') }} as predictions
    where {{ learning_rows_to_compute('predictions') }}

),

ranked as (

    select
        predictions.entity_type,
        predictions.model_id,
        predictions.method,
        predictions.entity_id,
        predictions.cutoff_date,
        predictions.split,
        predictions.label,
        predictions.score,
        predictions.probability,
        predictions.backtest_fingerprint,
        rank() over (
            partition by predictions.entity_type, predictions.model_id, predictions.method, predictions.split
            order by predictions.score
        ) as rank_from_bottom,
        count(*) over (
            partition by
                predictions.entity_type,
                predictions.model_id,
                predictions.method,
                predictions.split,
                predictions.score
        ) as tied_examples,
        row_number() over (
            partition by predictions.entity_type, predictions.model_id, predictions.method, predictions.split
            order by predictions.score desc, predictions.entity_id asc, predictions.cutoff_date asc
        ) as position_from_top,
        count(*)
            over (
                partition by
                    predictions.entity_type, predictions.model_id, predictions.method, predictions.split
            )
            as split_examples,
        ntile(10) over (
            partition by predictions.entity_type, predictions.model_id, predictions.method, predictions.split
            order by predictions.score desc, predictions.entity_id asc, predictions.cutoff_date asc
        ) as decile
    from predictions

)

select
    ranked.*,
    ranked.rank_from_bottom + (ranked.tied_examples - 1) / 2.0 as average_rank
from ranked

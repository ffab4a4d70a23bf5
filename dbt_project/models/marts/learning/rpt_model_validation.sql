-- How well each model and method ranks the outcome, on the training cutoffs and on the held-out
-- test cutoffs: AUC (the chance that a random positive example scores above a random negative one,
-- from the rank sum: (sum of positives' average ranks - P(P+1)/2) / (P * N)), precision in the top
-- 5% and 10% of scores, lift of the top decile, and for methods with a probability the expected
-- calibration error (the gap between mean predicted and observed rate, averaged over deciles
-- weighted by their examples).

with

ranked as (

    select * from {{ ref('int_learning_predictions_ranked') }}

),

deciles as (

    select * from {{ ref('rpt_model_validation_deciles') }}

),

totals as (

    select
        entity_type,
        model_id,
        method,
        split,
        count(*) as examples,
        sum(case when label then 1 else 0 end) as positives,
        min(cutoff_date) as first_cutoff_date,
        max(cutoff_date) as last_cutoff_date,
        count(distinct cutoff_date) as cutoffs,
        sum(case when label then average_rank else 0 end) as positive_rank_sum,
        sum(case when label and position_from_top <= ceiling(0.05 * split_examples) then 1 else 0 end)
            as top_5_positives,
        sum(case when position_from_top <= ceiling(0.05 * split_examples) then 1 else 0 end)
            as top_5_examples,
        sum(case when label and position_from_top <= ceiling(0.10 * split_examples) then 1 else 0 end)
            as top_10_positives,
        sum(case when position_from_top <= ceiling(0.10 * split_examples) then 1 else 0 end)
            as top_10_examples
    from ranked
    group by entity_type, model_id, method, split

),

calibration as (

    select
        entity_type,
        model_id,
        method,
        split,
        sum(abs(mean_probability - outcome_rate) * examples) / sum(examples) as calibration_error
    from deciles
    where mean_probability is not null
    group by entity_type, model_id, method, split

),

top_decile as (

    select
        entity_type,
        model_id,
        method,
        split,
        lift as top_decile_lift
    from deciles
    where decile = 1

)

select
    totals.entity_type,
    totals.model_id,
    totals.method,
    totals.split,
    totals.cutoffs,
    totals.first_cutoff_date,
    totals.last_cutoff_date,
    totals.examples,
    totals.positives,
    cast(totals.positives as {{ type_double() }}) / totals.examples as base_rate,
    case
        when totals.positives > 0 and totals.positives < totals.examples
            then
                (totals.positive_rank_sum - totals.positives * (totals.positives + 1) / 2.0)
                / (cast(totals.positives as {{ type_double() }}) * (totals.examples - totals.positives))
    end as auc,
    cast(totals.top_5_positives as {{ type_double() }}) / totals.top_5_examples as precision_top_5_pct,
    cast(totals.top_10_positives as {{ type_double() }}) / totals.top_10_examples as precision_top_10_pct,
    top_decile.top_decile_lift,
    calibration.calibration_error
from totals
left join top_decile
    on
        totals.entity_type = top_decile.entity_type
        and totals.model_id = top_decile.model_id
        and totals.method = top_decile.method
        and totals.split = top_decile.split
left join calibration
    on
        totals.entity_type = calibration.entity_type
        and totals.model_id = calibration.model_id
        and totals.method = calibration.method
        and totals.split = calibration.split

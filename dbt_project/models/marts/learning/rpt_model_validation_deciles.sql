-- Lift and calibration by decile, per model, method and split: the examples in each tenth of the
-- ranking (1 = the highest scores), how many had the outcome, their rate against the split's base
-- rate (lift) and, for methods with a probability, the mean predicted probability beside the rate
-- observed (calibration).

with

ranked as (

    select * from {{ ref('int_learning_predictions_ranked') }}

),

deciles as (

    select
        entity_type,
        model_id,
        method,
        split,
        decile,
        count(*) as examples,
        sum(case when label then 1 else 0 end) as positives,
        min(score) as min_score,
        max(score) as max_score,
        avg(probability) as mean_probability
    from ranked
    group by entity_type, model_id, method, split, decile

),

splits as (

    select
        entity_type,
        model_id,
        method,
        split,
        cast(sum(positives) as {{ type_double() }}) / sum(examples) as base_rate
    from deciles
    group by entity_type, model_id, method, split

)

select
    deciles.entity_type,
    deciles.model_id,
    deciles.method,
    deciles.split,
    deciles.decile,
    deciles.examples,
    deciles.positives,
    cast(deciles.positives as {{ type_double() }}) / deciles.examples as outcome_rate,
    case
        when splits.base_rate > 0
            then cast(deciles.positives as {{ type_double() }}) / deciles.examples / splits.base_rate
    end as lift,
    deciles.mean_probability,
    deciles.min_score,
    deciles.max_score
from deciles
inner join splits
    on
        deciles.entity_type = splits.entity_type
        and deciles.model_id = splits.model_id
        and deciles.method = splits.method
        and deciles.split = splits.split

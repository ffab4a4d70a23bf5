-- Every person and account each model scores, on the scoring date, scored by the learned model
-- beside the hand-set rules: the learned probability of the model's outcome within its horizon,
-- its log-odds, the three feature buckets that raise it most, the rule score, the blend, and the
-- priority score the model publishes (learning_settings.score_method: rules, learned or blended).

with

scores as (

    select * from {{ ref('int_learning_scores') }}
    where split = 'score'

),

contributions as (

    select
        features.entity_type,
        features.model_id,
        features.entity_id,
        features.feature_id,
        features.bucket,
        weights.weight,
        row_number() over (
            partition by features.entity_type, features.model_id, features.entity_id
            order by weights.weight desc, features.feature_id asc
        ) as weight_rank
    from {{ ref('int_learning_features') }} as features
    inner join {{ ref('int_learning_examples') }} as examples
        on
            features.entity_type = examples.entity_type
            and features.model_id = examples.model_id
            and features.entity_id = examples.entity_id
            and features.cutoff_date = examples.cutoff_date
    inner join {{ ref('int_learning_weights') }} as weights
        on
            features.entity_type = weights.entity_type
            and features.model_id = weights.model_id
            and features.feature_id = weights.feature_id
            and features.bucket = weights.bucket
    where examples.split = 'score' and weights.weight > 0

),

reasons as (

    select
        entity_type,
        model_id,
        entity_id,
        {{ ordered_list(
            "feature_id || ' = ' || bucket || ': +' || cast(round(weight, 2) as " ~ dbt.type_string() ~ ")",
            "'; '",
            'weight_rank'
        ) }} as top_learned_reasons
    from contributions
    where weight_rank <= 3
    group by entity_type, model_id, entity_id

)

select
    scores.entity_type,
    scores.model_id,
    scores.entity_id,
    scores.cutoff_date as as_of_date,
    scores.learned_probability,
    scores.learned_log_odds,
    reasons.top_learned_reasons,
    scores.rule_score,
    scores.blended_score,
    scores.score_method,
    case scores.score_method
        when 'rules' then cast(scores.rule_score as {{ type_double() }})
        when 'blended' then scores.blended_score
        else scores.learned_probability
    end as priority_score
from scores
left join reasons
    on
        scores.entity_type = reasons.entity_type
        and scores.model_id = reasons.model_id
        and scores.entity_id = reasons.entity_id

-- Every person and account each model scores, on the scoring date, scored by the learned model
-- beside the hand-set rules: the learned probability of the model's outcome within its horizon,
-- its log-odds, the three feature buckets that raise it most, the rule score, the blend, and the
-- priority score the model publishes (learning_settings.score_method: rules, learned or blended).

with

scores as (

    select * from {{ ref('int_learning_scores') }}
    where split = 'score'

),

-- The scoring date's cutoff per model: its features are the scored examples' (a past cutoff never
-- falls on the scoring date), found without joining the 1.67M examples on large.
score_cutoffs as (

    select
        entity_type,
        model_id,
        cutoff_date
    from {{ ref('int_learning_cutoffs') }}
    where split = 'score'

),

contributions as (

    select
        features.entity_type,
        features.model_id,
        features.entity_id,
        features.feature_id || ' = ' || features.bucket || ': +'
        || cast(round(weights.weight, 2) as {{ dbt.type_string() }}) as reason_text,
        row_number() over (
            partition by features.entity_type, features.model_id, features.entity_id
            order by weights.weight desc, features.feature_id asc
        ) as weight_rank
    from {{ ref('int_learning_features') }} as features
    inner join score_cutoffs
        on
            features.entity_type = score_cutoffs.entity_type
            and features.model_id = score_cutoffs.model_id
            and features.cutoff_date = score_cutoffs.cutoff_date
    inner join {{ ref('int_learning_weights') }} as weights
        on
            features.entity_type = weights.entity_type
            and features.model_id = weights.model_id
            and features.feature_id = weights.feature_id
            and features.bucket = weights.bucket
    where weights.weight > 0

),

-- The three in order, joined by rank rather than by an ordered aggregate.
reasons as (

    select
        entity_type,
        model_id,
        entity_id,
        max(case when weight_rank = 1 then reason_text end)
        || coalesce('; ' || max(case when weight_rank = 2 then reason_text end), '')
        || coalesce('; ' || max(case when weight_rank = 3 then reason_text end), '')
            as top_learned_reasons
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

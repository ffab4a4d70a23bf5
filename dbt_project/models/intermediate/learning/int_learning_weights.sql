-- The learned weight of every feature bucket: weight of evidence, i.e. how much more (or less)
-- likely the outcome is among training examples in the bucket than among all, in log-odds:
--   weight = logit(smoothed bucket rate) - logit(base rate),
--   smoothed bucket rate = (positives + m * base rate) / (examples + m), m = smoothing_strength,
-- so a bucket of a few examples is shrunk towards the base rate (weight near 0). Buckets with fewer
-- than min_bucket_examples training examples are pooled per feature and share the pooled weight.
-- An '(intercept)' row carries logit(base rate). A row of learned_weight_overrides replaces the
-- learned weight of its bucket; learned and override are both kept for review.

with

settings as (

    select * from {{ ref('learning_settings') }}

),

training as (

    select * from {{ ref('int_learning_examples') }}
    where split = 'train'

),

base as (

    select
        training.entity_type,
        training.model_id,
        count(*) as examples,
        sum(case when training.label then 1 else 0 end) as positives
    from training
    group by training.entity_type, training.model_id

),

bucket_counts as (

    select
        features.entity_type,
        features.model_id,
        features.feature_id,
        features.bucket,
        count(*) as examples,
        sum(case when training.label then 1 else 0 end) as positives
    from {{ ref('int_learning_features') }} as features
    inner join training
        on
            features.entity_type = training.entity_type
            and features.model_id = training.model_id
            and features.entity_id = training.entity_id
            and features.cutoff_date = training.cutoff_date
    group by features.entity_type, features.model_id, features.feature_id, features.bucket

),

pooling as (

    select
        bucket_counts.*,
        bucket_counts.examples < settings.min_bucket_examples as is_pooled
    from bucket_counts
    inner join settings
        on bucket_counts.entity_type = settings.entity_type and bucket_counts.model_id = settings.model_id

),

pooled_counts as (

    select
        entity_type,
        model_id,
        feature_id,
        sum(examples) as examples,
        sum(positives) as positives
    from pooling
    where is_pooled
    group by entity_type, model_id, feature_id

),

evidence as (

    select
        pooling.entity_type,
        pooling.model_id,
        pooling.feature_id,
        pooling.bucket,
        pooling.examples as train_examples,
        pooling.positives as train_positives,
        pooling.is_pooled,
        coalesce(pooled_counts.examples, pooling.examples) as evidence_examples,
        coalesce(pooled_counts.positives, pooling.positives) as evidence_positives,
        cast(base.positives as {{ type_double() }}) / base.examples as base_rate,
        settings.smoothing_strength
    from pooling
    inner join base on pooling.entity_type = base.entity_type and pooling.model_id = base.model_id
    inner join settings
        on pooling.entity_type = settings.entity_type and pooling.model_id = settings.model_id
    left join pooled_counts
        on
            pooling.is_pooled
            and pooling.entity_type = pooled_counts.entity_type
            and pooling.model_id = pooled_counts.model_id
            and pooling.feature_id = pooled_counts.feature_id

),

smoothed as (

    select
        evidence.*,
        (evidence.evidence_positives + evidence.smoothing_strength * evidence.base_rate)
        / (evidence.evidence_examples + evidence.smoothing_strength) as smoothed_rate
    from evidence
    -- a base rate of 0 or 1 leaves nothing to learn: no weights (the intercept says it all)
    where evidence.base_rate > 0 and evidence.base_rate < 1

),

learned as (

    select
        entity_type,
        model_id,
        feature_id,
        bucket,
        train_examples,
        train_positives,
        is_pooled,
        base_rate,
        smoothed_rate,
        ln(smoothed_rate / (1 - smoothed_rate)) - ln(base_rate / (1 - base_rate)) as learned_weight
    from smoothed
    union all
    select
        entity_type,
        model_id,
        '(intercept)' as feature_id,
        '(all)' as bucket,
        examples as train_examples,
        positives as train_positives,
        false as is_pooled,
        cast(positives as {{ type_double() }}) / examples as base_rate,
        cast(positives as {{ type_double() }}) / examples as smoothed_rate,
        case
            when positives > 0 and positives < examples
                then ln(cast(positives as {{ type_double() }}) / (examples - positives))
        end as learned_weight
    from base

),

overrides as (

    select * from {{ ref('learned_weight_overrides') }}

),

-- an override of a bucket no training example fell in still applies
weighted as (

    select * from learned
    union all
    select
        overrides.entity_type,
        overrides.model_id,
        overrides.feature_id,
        overrides.bucket,
        0 as train_examples,
        0 as train_positives,
        false as is_pooled,
        cast(null as {{ type_double() }}) as base_rate,
        cast(null as {{ type_double() }}) as smoothed_rate,
        cast(null as {{ type_double() }}) as learned_weight
    from overrides
    where not exists (
        select 1
        from learned
        where
            learned.entity_type = overrides.entity_type
            and learned.model_id = overrides.model_id
            and learned.feature_id = overrides.feature_id
            and learned.bucket = overrides.bucket
    )

)

select
    learned.entity_type,
    learned.model_id,
    learned.feature_id,
    learned.bucket,
    features.description as feature_description,
    learned.train_examples,
    learned.train_positives,
    learned.is_pooled,
    learned.base_rate,
    learned.smoothed_rate,
    learned.learned_weight,
    overrides.weight as override_weight,
    overrides.reason as override_reason,
    overrides.weight is not null as is_overridden,
    coalesce(overrides.weight, learned.learned_weight, 0) as weight
from weighted as learned
left join {{ ref('learning_features') }} as features
    on
        learned.entity_type = features.entity_type
        and learned.model_id = features.model_id
        and learned.feature_id = features.feature_id
left join overrides
    on
        learned.entity_type = overrides.entity_type
        and learned.model_id = overrides.model_id
        and learned.feature_id = overrides.feature_id
        and learned.bucket = overrides.bucket

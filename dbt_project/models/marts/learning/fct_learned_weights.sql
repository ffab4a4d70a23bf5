-- The learned weights, one row per model, feature and bucket, readable as a scorecard: how many
-- training examples fell in the bucket and how many had the outcome, the weight of evidence learned
-- from them (log-odds against the base rate; 0 = no evidence, +0.7 = about twice as likely), a
-- person's override if one is pinned in learned_weight_overrides, and the weight in use.

select
    entity_type,
    model_id,
    feature_id,
    bucket,
    feature_description,
    train_examples,
    train_positives,
    is_pooled,
    base_rate,
    smoothed_rate,
    learned_weight,
    override_weight,
    override_reason,
    is_overridden,
    weight
from {{ ref('int_learning_weights') }}

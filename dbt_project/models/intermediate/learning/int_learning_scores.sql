-- Every example scored three ways: the hand-set rule score, the learned model (the intercept plus
-- the weights of the example's feature buckets, a bucket never seen in training weighing 0), and a
-- blend of the two ranks. The learned log-odds add up evidence as naive Bayes does, which
-- overstates certainty when features move together, so the learned probability is calibrated on
-- the training examples: the observed (smoothed) outcome rate of the training decile of log-odds the
-- example falls in.
-- Incremental: a model's train and test rows are kept while its backtest, settings and weights stay
-- the same (backtest_fingerprint, macros/learning_backtest.sql); the scoring date's rows are
-- computed on every run, calibrated on the kept training rows.

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_outdated_backtest_results(learning_scores_fingerprints(), score_rows=true) }}"
    )
}}

-- depends_on: {{ ref('int_learning_cutoffs') }}

-- the calibration bins: training deciles of the learned log-odds
{%- set calibration_deciles = 10 %}

-- the columns of a training example the calibration reads, computed here or kept
{%- set training_columns = [
    'entity_type', 'model_id', 'entity_id', 'cutoff_date', 'label', 'learned_log_odds'
] %}

with

examples as (

    select *
    from {{ ref('int_learning_examples') }} as examples
    where {{ learning_rows_to_compute('examples') }}

),

fingerprints as (

    {{ learning_scores_fingerprints() }}

),

settings as (

    select * from {{ ref('learning_settings') }}

),

weights as (

    select * from {{ ref('int_learning_weights') }}

),

intercepts as (

    select
        entity_type,
        model_id,
        weight as intercept,
        base_rate
    from weights
    where feature_id = '(intercept)'

),

-- the cutoffs of the examples computed in this run: the scoring date, and any backtest not kept
computed_cutoffs as (

    select distinct
        entity_type,
        model_id,
        cutoff_date
    from examples

),

evidence as (

    select
        features.entity_type,
        features.model_id,
        features.entity_id,
        features.cutoff_date,
        -- summed as decimals: a float sum's last bits depend on the order the engine adds in, and
        -- tied scores must stay tied for deciles, ranks and AUC to be the same on every build
        cast(sum(coalesce(cast(weights.weight as decimal(18, 12)), 0)) as {{ type_double() }}) as evidence
    from {{ ref('int_learning_features') }} as features
    {% if is_incremental() %}
        inner join computed_cutoffs as computed
            on
                features.entity_type = computed.entity_type
                and features.model_id = computed.model_id
                and features.cutoff_date = computed.cutoff_date
    {% endif %}
    left join weights
        on
            features.entity_type = weights.entity_type
            and features.model_id = weights.model_id
            and features.feature_id = weights.feature_id
            and features.bucket = weights.bucket
    group by features.entity_type, features.model_id, features.entity_id, features.cutoff_date

),

scored as (

    select
        examples.entity_type,
        examples.model_id,
        examples.entity_id,
        examples.cutoff_date,
        examples.split,
        examples.label,
        rules.rule_score,
        intercepts.intercept + coalesce(evidence.evidence, 0) as learned_log_odds
    from examples
    inner join intercepts
        on examples.entity_type = intercepts.entity_type and examples.model_id = intercepts.model_id
    left join evidence
        on
            examples.entity_type = evidence.entity_type
            and examples.model_id = evidence.model_id
            and examples.entity_id = evidence.entity_id
            and examples.cutoff_date = evidence.cutoff_date
    left join {{ ref('int_learning_rule_scores') }} as rules
        on
            examples.entity_type = rules.entity_type
            and examples.model_id = rules.model_id
            and examples.entity_id = rules.entity_id
            and examples.cutoff_date = rules.cutoff_date

),

-- Every training example of the current backtests: those computed here, and those kept (a model
-- has either, never both: its kept rows were deleted when its backtest is computed again).
training as (

    select {{ training_columns | join(', ') }}
    from scored
    where split = 'train'
    {% if is_incremental() %}
        union all
        select {{ training_columns | join(', ') }}
        from {{ this }}
        where split = 'train'
    {% endif %}

),

training_deciles as (

    select
        entity_type,
        model_id,
        label,
        learned_log_odds,
        -- ties broken by the example's key, so that a tied example lands in the same decile every build
        ntile({{ calibration_deciles }}) over (
            partition by entity_type, model_id order by learned_log_odds, entity_id, cutoff_date
        ) as decile
    from training

),

calibration_bins as (

    select
        training_deciles.entity_type,
        training_deciles.model_id,
        training_deciles.decile,
        min(training_deciles.learned_log_odds) as lower_log_odds,
        (
            sum(case when training_deciles.label then 1 else 0 end)
            + max(settings.smoothing_strength) * max(intercepts.base_rate)
        )
        / (count(*) + max(settings.smoothing_strength)) as calibrated_rate
    from training_deciles
    inner join settings
        on
            training_deciles.entity_type = settings.entity_type
            and training_deciles.model_id = settings.model_id
    inner join intercepts
        on
            training_deciles.entity_type = intercepts.entity_type
            and training_deciles.model_id = intercepts.model_id
    group by training_deciles.entity_type, training_deciles.model_id, training_deciles.decile

),

-- An example falls in the highest decile whose lower bound it reaches (decile 1 below them all,
-- and when its log-odds are unknown); deciles sharing a lower bound leave the lower ones empty.
-- The bounds are laid side by side, one row per model, so that each example finds its decile by
-- one equality join and a comparison per bound (a join on the ranges themselves compared every
-- example with every bin: 3 s of the large preset's daily build).
calibration_bounds as (

    select
        entity_type,
        model_id,
        {% for decile in range(2, calibration_deciles + 1) -%}
            max(case when decile = {{ decile }} then lower_log_odds end) as lower_log_odds_{{ decile }}
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from calibration_bins
    group by entity_type, model_id

),

deciles as (

    select
        scored.entity_type,
        scored.model_id,
        scored.entity_id,
        scored.cutoff_date,
        case
            {% for decile in range(calibration_deciles, 1, -1) -%}
                when scored.learned_log_odds >= bounds.lower_log_odds_{{ decile }} then {{ decile }}
            {% endfor -%}
            else 1
        end as decile
    from scored
    inner join calibration_bounds as bounds
        on scored.entity_type = bounds.entity_type and scored.model_id = bounds.model_id

),

binned as (

    select
        deciles.entity_type,
        deciles.model_id,
        deciles.entity_id,
        deciles.cutoff_date,
        calibration_bins.calibrated_rate
    from deciles
    inner join calibration_bins
        on
            deciles.entity_type = calibration_bins.entity_type
            and deciles.model_id = calibration_bins.model_id
            and deciles.decile = calibration_bins.decile

)

select
    scored.*,
    binned.calibrated_rate as learned_probability,
    settings.score_method,
    fingerprints.backtest_fingerprint,
    settings.blend_weight * percent_rank()
        over (
            partition by scored.entity_type, scored.model_id, scored.cutoff_date order by scored.rule_score
        )
    + (1 - settings.blend_weight) * percent_rank() over (
        partition by scored.entity_type, scored.model_id, scored.cutoff_date order by scored.learned_log_odds
    ) as blended_score
from scored
inner join settings on scored.entity_type = settings.entity_type and scored.model_id = settings.model_id
left join fingerprints
    on scored.entity_type = fingerprints.entity_type and scored.model_id = fingerprints.model_id
left join binned
    on
        scored.entity_type = binned.entity_type
        and scored.model_id = binned.model_id
        and scored.entity_id = binned.entity_id
        and scored.cutoff_date = binned.cutoff_date

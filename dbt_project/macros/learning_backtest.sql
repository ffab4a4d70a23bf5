{#
    The learning backtest (train and test rows) is computed once per retrain date and kept by the
    incremental models that hold it (int_learning_examples, int_learning_features,
    int_learning_rule_scores); the score rows are recomputed on every run. Each of those tables has
    the columns entity_type, model_id, cutoff_date and backtest_key, the retrain date and the
    model's learning configuration in one hash (int_learning_cutoffs; docs/decisions.md, "The
    backtest is retrained on a grid of dates").

    delete_outdated_learning_rows(): a pre-hook. On an incremental run, deletes every row that is not
    part of a model's current backtest: the score rows of the previous run, and the backtest of a
    model whose retrain date has moved on or whose configuration has changed. Runs in the
    model's transaction, so a failed build leaves the table as it was.

    learning_rows_to_compute(relation): a where-clause condition on a relation with the columns
    split, entity_type and model_id (the cutoffs, the examples). True for the score rows, and for
    the backtest rows of a model the table holds none of (after the pre-hook, every model whose
    backtest key has changed). Always true on a full build.
#}
{% macro delete_outdated_learning_rows() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where not exists (
            select 1
            from {{ ref('int_learning_cutoffs') }} as current_backtest
            where
                current_backtest.split != 'score'
                and current_backtest.entity_type = {{ this.identifier }}.entity_type
                and current_backtest.model_id = {{ this.identifier }}.model_id
                and current_backtest.cutoff_date = {{ this.identifier }}.cutoff_date
                and current_backtest.backtest_key = {{ this.identifier }}.backtest_key
        )
    {%- endif -%}
{%- endmacro %}

{% macro learning_rows_to_compute(relation) -%}
    {%- if is_incremental() -%}
        (
            {{ relation }}.split = 'score'
            or not exists (
                select 1
                from (select distinct entity_type, model_id from {{ this }}) as kept_backtest
                where
                    kept_backtest.entity_type = {{ relation }}.entity_type
                    and kept_backtest.model_id = {{ relation }}.model_id
            )
        )
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}


{#
    The tables computed from the backtest alone keep a model's rows as long as what they are
    computed from stays the same: int_learning_scores (its train and test rows),
    int_learning_predictions and int_learning_predictions_ranked. Between two retrain dates a
    daily run then computes only the scoring date's scores, and no prediction or rank. Each row
    carries backtest_fingerprint, a hash of everything its model's rows are computed from:

    learning_scores_fingerprints(): a query of entity_type, model_id, backtest_fingerprint for the
    learned scores: the backtest key (the retrain date and the configuration that makes the
    examples, features and rule scores, int_learning_cutoffs), the settings the scores read besides
    the weights (smoothing_strength, score_method, blend_weight: a setting the scores come to read
    must be added here) and every learned weight with its base rate, overrides included.

    learning_predictions_fingerprints(): the same for the predictions and their ranks: the
    scores' fingerprint and the challenger's (learning.challenger_predictions: its inputs'
    fingerprint, training time and rows; the challenger is refitted when the backtest changes).

    delete_outdated_backtest_results(fingerprints, score_rows=false): a pre-hook. On an incremental
    run, deletes the rows of every model whose fingerprint in `fingerprints` differs from theirs (or
    that it no longer has), and with score_rows the scoring date's rows too. The rows to compute
    are then learning_rows_to_compute's: the score rows and the models this table holds none of.
#}
{% macro learning_scores_fingerprints() -%}
    select
        backtests.entity_type,
        backtests.model_id,
        {{ dbt.hash(dbt.concat([
            'backtests.backtest_key', "'|'",
            "cast(settings.smoothing_strength as " ~ dbt.type_string() ~ ")", "'|'",
            'settings.score_method', "'|'",
            "cast(settings.blend_weight as " ~ dbt.type_string() ~ ")", "'|'",
            "coalesce(weights.weights, '')"
        ])) }} as backtest_fingerprint
    from (
        select distinct
            entity_type,
            model_id,
            backtest_key
        from {{ ref('int_learning_cutoffs') }}
        where split != 'score'
    ) as backtests
    inner join {{ ref('learning_settings') }} as settings
        on backtests.entity_type = settings.entity_type and backtests.model_id = settings.model_id
    left join (
        select
            entity_type,
            model_id,
            {{ ordered_list(
                "coalesce(feature_id, '') || '|' || coalesce(bucket, '') || '|' || cast(weight as " ~ dbt.type_string() ~ ")"
                ~ " || '|' || coalesce(cast(base_rate as " ~ dbt.type_string() ~ "), '')",
                "';'",
                'feature_id, bucket'
            ) }} as weights
        from {{ ref('int_learning_weights') }}
        group by entity_type, model_id
    ) as weights
        on backtests.entity_type = weights.entity_type and backtests.model_id = weights.model_id
{%- endmacro %}

{% macro challenger_predictions_exist() -%}
    {#- Whether the challenger's Dagster asset has written learning.challenger_predictions yet (never
        while dbt only parses). -#}
    {%- set challenger = source('learning', 'challenger_predictions') -%}
    {{- return(execute and adapter.get_relation(
        database=challenger.database, schema=challenger.schema, identifier=challenger.identifier
    ) is not none) -}}
{%- endmacro %}

{% macro learning_predictions_fingerprints() -%}
    {%- set challenger = source('learning', 'challenger_predictions') -%}
    {%- set challenger_exists = challenger_predictions_exist() -%}
    select
        scores.entity_type,
        scores.model_id,
        {{ dbt.hash(dbt.concat(['scores.backtest_fingerprint', "'|'", 'challenger.fingerprint'])) }}
            as backtest_fingerprint
    from (
        select distinct
            entity_type,
            model_id,
            backtest_fingerprint
        from {{ ref('int_learning_scores') }}
        where split != 'score'
    ) as scores
    cross join (
        {% if challenger_exists %}
            select
                {{ dbt.concat([
                    "coalesce(max(inputs_fingerprint), '')", "'|'",
                    "coalesce(cast(max(trained_at) as " ~ dbt.type_string() ~ "), '')", "'|'",
                    "cast(count(*) as " ~ dbt.type_string() ~ ")"
                ]) }} as fingerprint
            from {{ challenger }}
        {% else %}
            select 'no challenger' as fingerprint
        {% endif %}
    ) as challenger
{%- endmacro %}

{% macro delete_outdated_backtest_results(fingerprints, score_rows=false) -%}
    {#- A table built before the fingerprint has no such column: nothing is deleted, and the build
        stops at dbt's own check that the table's columns are the model's (on_schema_change='fail'),
        which asks for a --full-refresh. -#}
    {%- set has_fingerprint = is_incremental() and 'backtest_fingerprint' in (
        adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list
    ) -%}
    {%- if has_fingerprint -%}
        delete from {{ this }}
        where
            {% if score_rows -%} split = 'score' or {%- endif %}
            not exists (
                select 1
                from ({{ fingerprints }}) as current_backtest
                where
                    current_backtest.entity_type = {{ this.identifier }}.entity_type
                    and current_backtest.model_id = {{ this.identifier }}.model_id
                    and current_backtest.backtest_fingerprint = {{ this.identifier }}.backtest_fingerprint
            )
    {%- endif -%}
{%- endmacro %}

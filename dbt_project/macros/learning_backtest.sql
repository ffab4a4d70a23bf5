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

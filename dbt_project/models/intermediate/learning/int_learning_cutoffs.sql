-- The past dates each learned model is trained and tested on, and the scoring date itself.
-- The backtest is retrained every cutoff_every_days, not every day: its cutoffs count back from the
-- retrain date, the scoring date rounded down to a multiple of cutoff_every_days days since
-- 1970-01-01. Between two retrain dates the cutoffs stay put, so the train and test rows the
-- incremental learning models keep stay valid (docs/decisions.md, "The backtest is retrained on a
-- grid of dates"). Counting back from the retrain date: the last test cutoff is the latest date
-- whose whole outcome window (horizon_days) has passed; test cutoffs are spaced cutoff_every_days
-- apart before it. Training cutoffs end one full horizon before the first test cutoff, so no
-- training label is observed inside the held-out period. The scoring date gets split 'score' (no
-- label yet).

with

as_of as (

    select as_of_date from {{ ref('int_scoring_as_of') }}

),

settings as (

    select
        settings.*,
        models.horizon_days,
        models.target_outcome,
        models.rule_version,
        models.segment_attribute,
        models.segment_operator,
        models.segment_value,
        models.interest_lookback_days
    from {{ ref('learning_settings') }} as settings
    inner join {{ ref('scoring_models') }} as models on settings.model_id = models.model_id

),

-- Everything a backtest row is computed from that a user configures: the model's learning
-- settings, its segment, target, horizon and interest lookback, its rule version (bumped when its
-- rules change) and its features. With the retrain date it makes the backtest key: when the key
-- changes, the backtest is computed again at once rather than at the next retrain date.
feature_definitions as (

    select
        model_id,
        entity_type,
        {{ ordered_list(
            dbt.concat([
                'feature_id', "'|'", 'kind', "'|'", "coalesce(source, '')", "'|'",
                "coalesce(cast(window_days as " ~ dbt.type_string() ~ "), '')", "'|'",
                "coalesce(bucket_edges, '')"
            ]),
            "';'",
            'feature_id'
        ) }} as definition
    from {{ ref('learning_features') }}
    group by model_id, entity_type

),

retrain_dates as (

    select
        settings.entity_type,
        settings.model_id,
        as_of.as_of_date,
        cast({{ dbt.dateadd(
            'day',
            '-1 * (' ~ dbt.datediff("cast('1970-01-01' as date)", 'as_of.as_of_date', 'day')
            ~ ' % settings.cutoff_every_days)',
            'as_of.as_of_date'
        ) }} as date) as retrain_date,
        {{ dbt.concat([
            "cast(settings.cutoff_every_days as " ~ dbt.type_string() ~ ")", "'|'",
            "cast(settings.train_cutoffs as " ~ dbt.type_string() ~ ")", "'|'",
            "cast(settings.test_cutoffs as " ~ dbt.type_string() ~ ")", "'|'",
            "coalesce(cast(settings.backtest_max_entities as " ~ dbt.type_string() ~ "), '')", "'|'",
            "cast(settings.horizon_days as " ~ dbt.type_string() ~ ")", "'|'",
            'settings.target_outcome', "'|'", 'settings.rule_version', "'|'",
            "coalesce(settings.segment_attribute, '')", "'|'",
            "coalesce(settings.segment_operator, '')", "'|'",
            "coalesce(settings.segment_value, '')", "'|'",
            "coalesce(cast(settings.interest_lookback_days as " ~ dbt.type_string() ~ "), '')", "'|'",
            "coalesce(feature_definitions.definition, '')"
        ]) }} as learning_configuration
    from settings
    cross join as_of
    left join feature_definitions
        on
            settings.model_id = feature_definitions.model_id
            and settings.entity_type = feature_definitions.entity_type

),

series as (

    {{ integer_series(1000) }}

),

test_cutoffs as (

    select
        settings.entity_type,
        settings.model_id,
        'test' as split,
        series.n as cutoff_index,
        {{ dbt.dateadd(
            'day',
            '-1 * (settings.horizon_days + series.n * settings.cutoff_every_days)',
            'retrain_dates.retrain_date'
        ) }} as cutoff_date
    from settings
    inner join retrain_dates
        on settings.entity_type = retrain_dates.entity_type and settings.model_id = retrain_dates.model_id
    inner join series on settings.test_cutoffs > series.n

),

train_cutoffs as (

    select
        settings.entity_type,
        settings.model_id,
        'train' as split,
        series.n as cutoff_index,
        {{ dbt.dateadd(
            'day',
            '-1 * (2 * settings.horizon_days + (settings.test_cutoffs - 1 + series.n) * settings.cutoff_every_days)',
            'retrain_dates.retrain_date'
        ) }} as cutoff_date
    from settings
    inner join retrain_dates
        on settings.entity_type = retrain_dates.entity_type and settings.model_id = retrain_dates.model_id
    inner join series on settings.train_cutoffs > series.n

),

scoring_date as (

    select
        entity_type,
        model_id,
        'score' as split,
        0 as cutoff_index,
        as_of_date as cutoff_date
    from retrain_dates

),

cutoffs as (

    select * from test_cutoffs
    union all
    select * from train_cutoffs
    union all
    select * from scoring_date

)

select
    cutoffs.entity_type,
    cutoffs.model_id,
    cutoffs.split,
    cast(cutoffs.cutoff_date as date) as cutoff_date,
    retrain_dates.retrain_date,
    {{ dbt.hash(dbt.concat([
        "cast(retrain_dates.retrain_date as " ~ dbt.type_string() ~ ")", "'|'",
        'retrain_dates.learning_configuration'
    ])) }} as backtest_key,
    settings.horizon_days,
    cast({{ dbt.dateadd('day', 'settings.horizon_days', 'cutoffs.cutoff_date') }} as date) as horizon_end_date
from cutoffs
inner join settings
    on cutoffs.entity_type = settings.entity_type and cutoffs.model_id = settings.model_id
inner join retrain_dates
    on cutoffs.entity_type = retrain_dates.entity_type and cutoffs.model_id = retrain_dates.model_id

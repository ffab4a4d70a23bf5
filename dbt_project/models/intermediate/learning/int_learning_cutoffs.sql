-- The past dates each learned model is trained and tested on, and the scoring date itself.
-- Counting back from the scoring date: the last test cutoff is the latest date whose whole outcome
-- window (horizon_days) has passed; test cutoffs are spaced cutoff_every_days apart before it.
-- Training cutoffs end one full horizon before the first test cutoff, so no training label is
-- observed inside the held-out period. The scoring date gets split 'score' (no label yet).

with

as_of as (

    select as_of_date from {{ ref('int_scoring_as_of') }}

),

settings as (

    select
        settings.*,
        models.horizon_days
    from {{ ref('learning_settings') }} as settings
    inner join {{ ref('scoring_models') }} as models on settings.model_id = models.model_id

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
            'as_of.as_of_date'
        ) }} as cutoff_date
    from settings
    cross join as_of
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
            'as_of.as_of_date'
        ) }} as cutoff_date
    from settings
    cross join as_of
    inner join series on settings.train_cutoffs > series.n

),

scoring_date as (

    select
        settings.entity_type,
        settings.model_id,
        'score' as split,
        0 as cutoff_index,
        as_of.as_of_date as cutoff_date
    from settings
    cross join as_of

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
    settings.horizon_days,
    cast({{ dbt.dateadd('day', 'settings.horizon_days', 'cutoffs.cutoff_date') }} as date) as horizon_end_date
from cutoffs
inner join settings
    on cutoffs.entity_type = settings.entity_type and cutoffs.model_id = settings.model_id

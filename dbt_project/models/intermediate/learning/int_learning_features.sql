-- Every configured feature of every example, as known at its cutoff: one row per example and
-- feature with its bucket. Attribute features read the golden record (person.* / account.*, see
-- int_person_attributes_unpivoted); event features count the activities of the configured event
-- types (or '*' for all) dated in (cutoff - window_days, cutoff], or the distinct people behind
-- them. last_fact_at is the latest activity counted, so a test can prove no feature uses a fact
-- after its cutoff. A missing attribute is the bucket 'missing'; no events is a count of 0.
-- Incremental like the examples: the train and test rows are computed once per backtest key and
-- kept, the score rows replaced on every run (macros/learning_backtest.sql). On a day the backtest
-- is kept, only the scoring date's examples are read, so no activity older than the longest
-- window is.

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_outdated_learning_rows() }}"
    )
}}

-- depends_on: {{ ref('int_learning_cutoffs') }} (read by the pre-hook)

with

examples as (

    select *
    from {{ ref('int_learning_examples') }} as examples
    where {{ learning_rows_to_compute('examples') }}

),

features as (

    select * from {{ ref('learning_features') }}

),

buckets as (

    select * from {{ ref('int_learning_feature_buckets') }}

),

-- Only the attributes a feature reads: on large 6.6M of the 13.2M attribute rows for people, 3.3M
-- of the 5.5M account rows for accounts.
attributes as (

    select
        'person' as entity_type,
        person_id as entity_id,
        attribute,
        value_text,
        value_number
    from {{ ref('int_person_attributes_unpivoted') }}
    where
        attribute in (
            select features.source from features
            where features.kind = 'attribute' and features.entity_type = 'person'
        )
    union all
    select distinct
        'account' as entity_type,
        persons.account_id as entity_id,
        attributes.attribute,
        attributes.value_text,
        attributes.value_number
    from {{ ref('int_person_attributes_unpivoted') }} as attributes
    inner join {{ ref('dim_persons') }} as persons on attributes.person_id = persons.person_id
    where
        persons.account_id is not null
        and attributes.attribute like 'account.%'
        and attributes.attribute in (
            select features.source from features
            where features.kind = 'attribute' and features.entity_type = 'account'
        )

),

attribute_values as (

    select
        examples.entity_type,
        examples.model_id,
        examples.entity_id,
        examples.cutoff_date,
        features.feature_id,
        features.bucket_edges,
        attributes.value_text,
        attributes.value_number,
        examples.backtest_key
    from examples
    inner join features
        on
            examples.model_id = features.model_id
            and examples.entity_type = features.entity_type
            and features.kind = 'attribute'
    left join attributes
        on
            examples.entity_type = attributes.entity_type
            and examples.entity_id = attributes.entity_id
            and features.source = attributes.attribute

),

-- Past cutoffs reach back years, but only for the backtest's sample; everyone else is an example
-- on the scoring date only, which no window reaches further back than the longest.
backtest_entities as (

    select distinct
        entity_type,
        entity_id
    from examples
    where split != 'score'

),

-- Which event types each activity feature counts ('*' is every type), worked out once on the
-- small seeds, so that the activities join it on equality rather than a pattern per activity.
feature_event_types as (

    select
        features.model_id,
        features.entity_type,
        features.feature_id,
        features.window_days,
        event_types.event_type
    from features
    inner join {{ ref('canonical_event_types') }} as event_types
        on
            features.source = '*'
            or '|' || features.source || '|' like '%|' || event_types.event_type || '|%'
    where features.kind in ('event_count', 'distinct_people')

),

-- On the scoring date an activity counts only within the longest window of a feature that counts
-- its type: the year of the unsubscribe feature must not bring a year of web visits with it (on
-- large, grouping those by day was the model's largest step).
earliest_scored_activity_by_type as (

    select
        feature_event_types.event_type,
        {{ dbt.dateadd('day', '-1 * max(feature_event_types.window_days)', 'max(as_of.as_of_date)') }}
            as after_date
    from feature_event_types
    cross join {{ ref('int_scoring_as_of') }} as as_of
    group by feature_event_types.event_type

),

daily_activities as (

    select
        activities.person_id,
        activities.account_id,
        activities.event_type,
        activities.activity_date,
        count(*) as activities,
        max(activities.activity_at) as last_activity_at
    from {{ ref('fct_activities') }} as activities
    inner join earliest_scored_activity_by_type as earliest
        on activities.event_type = earliest.event_type
    where
        activities.activity_date > earliest.after_date
        or activities.person_id in (
            select backtest_entities.entity_id from backtest_entities
            where backtest_entities.entity_type = 'person'
        )
        or activities.account_id in (
            select backtest_entities.entity_id from backtest_entities
            where backtest_entities.entity_type = 'account'
        )
    group by activities.person_id, activities.account_id, activities.event_type, activities.activity_date

),

activities_per_feature as (

    select
        feature_event_types.model_id,
        feature_event_types.entity_type,
        feature_event_types.feature_id,
        feature_event_types.window_days,
        daily_activities.person_id,
        daily_activities.activity_date,
        daily_activities.activities,
        daily_activities.last_activity_at,
        case
            when feature_event_types.entity_type = 'person' then daily_activities.person_id
            else daily_activities.account_id
        end as entity_id
    from daily_activities
    inner join feature_event_types
        on daily_activities.event_type = feature_event_types.event_type

),

event_counts as (

    select
        examples.entity_type,
        examples.model_id,
        examples.entity_id,
        examples.cutoff_date,
        activities.feature_id,
        sum(activities.activities) as activities,
        count(distinct activities.person_id) as people,
        max(activities.last_activity_at) as last_fact_at
    from examples
    inner join activities_per_feature as activities
        on
            examples.model_id = activities.model_id
            and examples.entity_type = activities.entity_type
            and examples.entity_id = activities.entity_id
            and examples.cutoff_date >= activities.activity_date
            and activities.activity_date
            > {{ dbt.dateadd('day', '-1 * activities.window_days', 'examples.cutoff_date') }}
    group by
        examples.entity_type,
        examples.model_id,
        examples.entity_id,
        examples.cutoff_date,
        activities.feature_id

),

event_values as (

    select
        examples.entity_type,
        examples.model_id,
        examples.entity_id,
        examples.cutoff_date,
        features.feature_id,
        features.bucket_edges,
        cast(null as {{ dbt.type_string() }}) as value_text,
        cast(
            case features.kind
                when 'distinct_people' then coalesce(event_counts.people, 0)
                else coalesce(event_counts.activities, 0)
            end as {{ type_double() }}
        ) as value_number,
        examples.backtest_key,
        event_counts.last_fact_at
    from examples
    inner join features
        on
            examples.model_id = features.model_id
            and examples.entity_type = features.entity_type
            and features.kind in ('event_count', 'distinct_people')
    left join event_counts
        on
            examples.entity_type = event_counts.entity_type
            and examples.model_id = event_counts.model_id
            and examples.entity_id = event_counts.entity_id
            and examples.cutoff_date = event_counts.cutoff_date
            and features.feature_id = event_counts.feature_id

),

feature_values as (

    select
        *,
        cast(null as {{ dbt.type_timestamp() }}) as last_fact_at
    from attribute_values
    union all
    select * from event_values

)

select
    feature_values.entity_type,
    feature_values.model_id,
    feature_values.entity_id,
    feature_values.cutoff_date,
    feature_values.feature_id,
    feature_values.last_fact_at,
    feature_values.backtest_key,
    case
        when feature_values.bucket_edges is null
            then coalesce(lower(trim(feature_values.value_text)), 'missing')
        when feature_values.value_number is null then 'missing'
        else buckets.bucket
    end as bucket
from feature_values
left join buckets
    on
        feature_values.model_id = buckets.model_id
        and feature_values.entity_type = buckets.entity_type
        and feature_values.feature_id = buckets.feature_id
        and (buckets.lower_bound is null or feature_values.value_number >= buckets.lower_bound)
        and (buckets.upper_bound is null or feature_values.value_number < buckets.upper_bound)

-- The numeric buckets of each configured feature, from its '|'-separated bucket edges: edges
-- 1|3|6 give the buckets 0, 1-2, 3-5 and 6+ (lower edge included, upper excluded; edges are
-- whole numbers). A feature without edges is bucketed by its text value instead.

with

features as (

    select * from {{ ref('learning_features') }}
    where bucket_edges is not null

),

series as (

    {{ integer_series(21) }}

),

edges as (

    select
        features.model_id,
        features.entity_type,
        features.feature_id,
        series.n as edge_index,
        cast({{ dbt.split_part('features.bucket_edges', "'|'", 'series.n') }} as {{ type_double() }}) as edge
    from features
    inner join series on series.n >= 1
    where coalesce({{ dbt.split_part('features.bucket_edges', "'|'", 'series.n') }}, '') != ''

),

bounds as (

    -- bucket i runs from edge i (none for the first) to edge i + 1 (none for the last)
    select
        model_id,
        entity_type,
        feature_id,
        edge as lower_bound,
        lead(edge) over (partition by model_id, entity_type, feature_id order by edge_index) as upper_bound
    from edges
    union all
    select
        model_id,
        entity_type,
        feature_id,
        cast(null as {{ type_double() }}) as lower_bound,
        edge as upper_bound
    from edges
    where edge_index = 1

)

select
    model_id,
    entity_type,
    feature_id,
    lower_bound,
    upper_bound,
    case
        when lower_bound is null and upper_bound = 1 then '0'
        when lower_bound is null then 'under ' || cast(cast(upper_bound as bigint) as {{ dbt.type_string() }})
        when upper_bound is null then cast(cast(lower_bound as bigint) as {{ dbt.type_string() }}) || '+'
        when upper_bound - lower_bound = 1 then cast(cast(lower_bound as bigint) as {{ dbt.type_string() }})
        else
            cast(cast(lower_bound as bigint) as {{ dbt.type_string() }})
            || '-'
            || cast(cast(upper_bound - 1 as bigint) as {{ dbt.type_string() }})
    end as bucket
from bounds

{#
    The rows of an immutable event log that an incremental build has not kept yet.

    `relation` is the raw source (every delivery of every event). On a full build every row is
    returned; on an incremental build only the rows of loads after the newest load already in the
    model ({{ this }}), so the daily run reads one day's deliveries, not the whole history. Loads
    are whole files written in one transaction with one `_loaded_at`, so the watermark never splits
    a load. The calling model keeps the first delivery of each event within the new rows and
    leaves out events it already holds with `not_kept_yet`, so that the result is exactly the full
    build's (first delivery of each event id wins).
#}
{% macro new_event_deliveries(relation) -%}
    select * from {{ relation }}
    {%- if is_incremental() %}
    where _loaded_at > (
        select coalesce(max(_loaded_at), cast('1900-01-01' as {{ dbt.type_timestamp() }}))
        from {{ this }}
    )
    {%- endif %}
{%- endmacro %}


{#
    A where-clause keeping the rows whose `key` the incremental model does not hold yet (every row
    on a full build): the anti-join half of `new_event_deliveries`.
#}
{% macro not_kept_yet(key, alias) -%}
    {%- if is_incremental() -%}
    where not exists (
        select 1 from {{ this }} as kept
        where kept.{{ key }} = {{ alias }}.{{ key }}
    )
    {%- endif -%}
{%- endmacro %}


{#
    The first delivery of each event of `relation` (a CTE or relation of raw event rows): the
    earliest load, then file, then line. Returns every column of `relation` plus `_version_rank`
    (always 1), like latest_version but keeping the earliest delivery, and cheap on a log of tens
    of millions of events almost all delivered once: only the rows of keys delivered more than
    once are sorted; the rest pass through an anti-join. `relation` is read three times: a CTE
    passed here should be declared `{{ not_materialized() }}` when it is a plain scan, or DuckDB
    holds it whole. The two halves join the repeated keys (a left anti-join and an inner join)
    rather than test them with a correlated `exists`, which DuckDB plans by first grouping every
    distinct key of `relation` again. A null key matches no repeated key: such rows are kept each.
#}
{% macro first_delivery(relation, key) -%}
    with

    repeated_keys as (

        select {{ key }} as event_key
        from {{ relation }}
        group by {{ key }}
        having count(*) > 1

    ),

    delivered_once as (

        select
            {{ relation }}.*,
            1 as _version_rank
        from {{ relation }}
        left join repeated_keys
            on {{ key }} = repeated_keys.event_key
        where repeated_keys.event_key is null

    ),

    delivered_again as (

        select *
        from (
            select
                {{ relation }}.*,
                row_number() over (
                    partition by {{ key }}
                    order by _loaded_at asc nulls last, _source_file asc nulls last, _source_line asc nulls last
                ) as _version_rank
            from {{ relation }}
            inner join repeated_keys
                on {{ key }} = repeated_keys.event_key
        ) as versions
        where _version_rank = 1

    )

    select * from delivered_once
    union all
    select * from delivered_again
{%- endmacro %}

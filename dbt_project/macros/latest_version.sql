{#
    One row per record from a raw table that keeps every delivered version of every record.

    The newest version wins: highest `version_column` (SystemModstamp, updated_at), then the
    latest load, then the later file and line, so that the choice is deterministic even when an
    extract re-delivers a record without changing it. Immutable event logs keep the first delivery
    of each event instead: first_delivery (macros/new_event_deliveries.sql).

    Returns a select over `relation` (a CTE name or a relation) with every column of it plus
    `_version_rank`, which the calling model does not select.
#}
{% macro latest_version(relation, key, version_column=none) -%}
    {%- set order_by = [] -%}
    {%- if version_column is not none -%}
        {%- do order_by.append(version_column ~ ' desc nulls last') -%}
    {%- endif -%}
    {%- for lineage_column in ['_loaded_at', '_source_file', '_source_line'] -%}
        {%- do order_by.append(lineage_column ~ ' desc nulls last') -%}
    {%- endfor -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ key }}
                order by {{ order_by | join(', ') }}
            ) as _version_rank
        from {{ relation }}
    ) as versions
    where _version_rank = 1
{%- endmacro %}


{#
    The raw rows a model built with latest_version needs to read: every version of every record
    on a full build; on an incremental build (materialized='incremental',
    incremental_strategy='delete+insert', unique_key = the record's id column) every version of
    just the records delivered again since the model's last build, so that the daily run ranks a
    few thousand records' versions rather than every record's. A record's newest version can only
    change when a load delivers it, and its row is then ranked again over all its versions (an old
    version delivered late still loses), so the result is exactly the full build's.

    The watermark is the newest `_loaded_at` among the model's rows (each row keeps the load of its
    winning version). A load whose every row lost to a newer version leaves it behind, so those
    records are ranked once more on the next run: the same rows again, never a missed one. Loads
    are whole files written in one transaction with one `_loaded_at`.
#}
{% macro versions_of_delivered_records(relation, key) -%}
    select * from {{ relation }}
    {%- if is_incremental() %}
    where {{ key }} in (
        select {{ key }} from {{ relation }}
        where _loaded_at > (
            select coalesce(max(_loaded_at), cast('1900-01-01' as {{ dbt.type_timestamp() }}))
            from {{ this }}
        )
    )
    {%- endif %}
{%- endmacro %}

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

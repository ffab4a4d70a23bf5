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

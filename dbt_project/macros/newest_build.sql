{#
    dbt's `where` config of a data test, with one addition for incremental tables: a test whose
    where is `__newest_build__(marker)` or `__newest_build__(marker, key)` checks only what the
    table's newest build wrote, instead of every row of its history again.

    `marker` is a column every build stamps on the rows it writes, never smaller than any earlier
    build's (a run's start, a watermark), so the newest build's rows are those that carry the
    largest value. When the whole table carries one value (a full build) nothing is filtered and
    the test reads the table as it would without the config. Otherwise:
      * `__newest_build__(marker)`: the rows of the newest build. For tests of one row at a time
        (not_null, accepted_values, relationships from this table, expressions);
      * `__newest_build__(marker, key)`: every row, of any build, whose `key` a row of the newest
        build has. For tests that compare rows with each other (unique, a unique combination that
        includes `key`): a new row repeating an old row's key is still found, while only the
        newest build's keys are grouped. `key` may be several columns, comma-separated
        (`__newest_build__(refreshed_at, account_id, week_start)`): the rows whose combination of
        them a row of the newest build has.
    A row an earlier build wrote was tested when that build ran. A test whose answer a later build
    of another table can change (relationships into a table rebuilt daily) must not use it.
    Any other where is dbt's own: the rows it selects.
#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set newest_build = modules.re.fullmatch(
        '__newest_build__\\(\\s*(\\w+)\\s*((?:,\\s*\\w+\\s*)*)\\)', where | trim
    ) if where else none -%}
    {%- if newest_build -%}
        {%- set key = newest_build.group(2).split(',')[1:] | map('trim') | join(', ') -%}
        {{ return(rows_of_newest_build(relation, newest_build.group(1), key or none)) }}
    {%- endif -%}
    {{ return(dbt.default__get_where_subquery(relation)) }}
{%- endmacro %}


{#
    The rows of `relation` a test of its newest build reads (see above): all of them when every row
    carries the same `marker`, else the newest build's rows, or with `key` every row sharing a key
    with one of them. A table not built yet (`dbt compile` on an empty warehouse) is left as it
    is. Looks up the marker's range first (one column's min and max), and compares with the newest
    as a literal, so that the engine can skip the blocks of older builds.
#}
{% macro rows_of_newest_build(relation, marker, key=none) -%}
    {%- if not execute or load_relation(relation) is none -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set range_query -%}
        select
            cast(min({{ marker }}) as {{ dbt.type_string() }}) as oldest,
            cast(max({{ marker }}) as {{ dbt.type_string() }}) as newest
        from {{ relation }}
    {%- endset -%}
    {%- set marker_range = run_query(range_query) -%}
    {%- set oldest = marker_range.columns[0].values()[0] -%}
    {%- set newest = marker_range.columns[1].values()[0] -%}
    {%- if oldest is none or oldest == newest -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set newest_rows -%}
        {{ marker }} = '{{ newest }}'
    {%- endset -%}
    {%- if key -%}
        {%- set filtered -%}
            (
                select * from {{ relation }}
                where ({{ key }}) in (select {{ key }} from {{ relation }} where {{ newest_rows }})
            ) dbt_subquery
        {%- endset -%}
    {%- else -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ newest_rows }}) dbt_subquery
        {%- endset -%}
    {%- endif -%}
    {{ return(filtered) }}
{%- endmacro %}

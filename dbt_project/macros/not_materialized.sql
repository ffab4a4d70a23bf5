{#
    Written between a CTE's name and its `as (`: asks the engine to inline the CTE at every use
    instead of computing it once and holding the result. DuckDB materialises a CTE read more than
    once, in memory and spilling to disk; for a plain filtered scan of a table (an event log's new
    deliveries, tens of millions of wide rows on the large preset) scanning again is much cheaper.
    Engines without the keyword inline CTEs anyway (or decide for themselves): nothing is written.
#}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized', 'mqa_warehouse')()) }}
{%- endmacro %}

{% macro default__not_materialized() -%}
{%- endmacro %}

{% macro duckdb__not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro postgres__not_materialized() -%}
    not materialized
{%- endmacro %}

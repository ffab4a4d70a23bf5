{#
    The median of `expression` over the rows of a group, as an aggregate: the middle value, or the
    mean of the two middle values of an even count (continuous, like percentile_cont). Nulls are
    ignored; null when the group has no value. E.g. the median days from MQL to opportunity.
    The default is the SQL-standard ordered-set aggregate (Postgres, Snowflake, Redshift, Spark
    3.3+); DuckDB has median(). BigQuery (percentile_cont is only a window function there) and
    Trino (approx_percentile) would need an implementation of their own.
#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'mqa_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    median({{ expression }})
{%- endmacro %}

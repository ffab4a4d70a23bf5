{#
    The start of this dbt invocation (run_started_at, UTC) as a SQL timestamp literal: the same
    value in every model of one `dbt build`, so rows written by one run share it.
#}
{% macro run_started_timestamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}

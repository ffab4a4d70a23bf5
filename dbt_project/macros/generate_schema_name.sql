{#
    Use a node's custom schema as-is (staging, intermediate, marts, reference) instead of dbt's
    default `<target schema>_<custom schema>`, so that BI tools and Dagster see stable names.
    Nodes without a custom schema fall back to the target schema.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

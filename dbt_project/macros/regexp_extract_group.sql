{#
    The first capturing group of a regular expression's first match, or null/'' when there is
    none (engines differ: wrap in nullif(..., '') to get null everywhere). Spelled per engine:
    regexp_extract(x, p, 1) in DuckDB, Spark and Trino, substring(x from p) in Postgres,
    regexp_substr(..., 'e') in Snowflake and Redshift, two-argument regexp_extract in BigQuery.
    `pattern` is a plain string (no quotes); non-capturing groups `(?:...)` are fine in all of them.
#}
{% macro regexp_extract_group(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_extract_group', 'mqa_warehouse')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_extract_group(expression, pattern) -%}
    regexp_extract({{ expression }}, '{{ pattern }}', 1)
{%- endmacro %}

{% macro postgres__regexp_extract_group(expression, pattern) -%}
    substring({{ expression }} from '{{ pattern }}')
{%- endmacro %}

{% macro snowflake__regexp_extract_group(expression, pattern) -%}
    regexp_substr({{ expression }}, '{{ pattern }}', 1, 1, 'e', 1)
{%- endmacro %}

{% macro redshift__regexp_extract_group(expression, pattern) -%}
    regexp_substr({{ expression }}, '{{ pattern }}', 1, 1, 'e')
{%- endmacro %}

{% macro bigquery__regexp_extract_group(expression, pattern) -%}
    regexp_extract({{ expression }}, r'{{ pattern }}')
{%- endmacro %}

{% macro spark__regexp_extract_group(expression, pattern) -%}
    regexp_extract({{ expression }}, '{{ pattern | replace("\\", "\\\\") }}', 1)
{%- endmacro %}

{#
    Whether a string contains a match of a regular expression (true, false, or null for null).
    `pattern` is a plain Python string (no surrounding quotes), in the common subset of
    POSIX/RE2/Java syntax, as for regexp_replace_all.
#}
{% macro regexp_contains(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_contains', 'mqa_warehouse')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_contains(expression, pattern) -%}
    regexp_like({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__regexp_contains(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regexp_contains(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regexp_contains(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern | replace("\\", "\\\\") }}')
{%- endmacro %}

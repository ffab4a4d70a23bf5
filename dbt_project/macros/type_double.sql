{#
    A 64-bit floating-point type. dbt's type_float() is a 32-bit FLOAT on DuckDB, which turns an
    amount of 123456.78 into 123456.78125 and loses revenue figures in the billions.
#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'mqa_warehouse')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

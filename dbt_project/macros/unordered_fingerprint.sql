{#
    unordered_fingerprint(expressions): an aggregate, as text, of the rows of a group: the same for
    the same multiset of rows (the values of `expressions`, a list of SQL expressions, nulls
    included) in any order, and different, but for a hash collision, otherwise. It tells a build
    whether what a kept row was computed from has changed. DuckDB sums the 64-bit hashes of the rows'
    values (a sum, unlike an XOR, does not cancel a row that appears twice); elsewhere it is the md5
    of the sorted rows, each value cast to text.
#}
{% macro unordered_fingerprint(expressions) -%}
    {{ return(adapter.dispatch('unordered_fingerprint', 'mqa_warehouse')(expressions)) }}
{%- endmacro %}

{% macro default__unordered_fingerprint(expressions) -%}
    {%- set row_text -%}
        {%- for expression in expressions -%}
            coalesce({{ dbt.cast(expression, dbt.type_string()) }}, '<null>')
            {%- if not loop.last %} || '|' || {% endif -%}
        {%- endfor -%}
    {%- endset -%}
    {{ dbt.hash(ordered_list(row_text, "';'", row_text)) }}
{%- endmacro %}

{% macro duckdb__unordered_fingerprint(expressions) -%}
    cast(sum(hash({{ expressions | join(', ') }})) as {{ dbt.type_string() }})
{%- endmacro %}

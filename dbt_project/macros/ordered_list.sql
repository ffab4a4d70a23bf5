{#
    The values of `measure` joined into one text, separated by `delimiter_text` (a SQL string
    literal) and ordered by `order_by` (SQL expressions), through dbt's cross-database listagg.
    E.g. the missing committee roles of an account: 'champion, procurement'.
#}
{% macro ordered_list(measure, delimiter_text, order_by) -%}
    {{ dbt.listagg(measure, delimiter_text, 'order by ' ~ order_by) }}
{%- endmacro %}

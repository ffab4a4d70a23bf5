{#
    Free text typed by people (names, company names, titles, subjects): runs of whitespace
    (including tabs and line breaks) folded to one space, trimmed, and empty strings as null,
    so that 'Data  Analyst ' and 'Data Analyst' compare equal and '' never counts as a value.
    Case is kept: it is display text; matching logic lower-cases where it needs to.
#}
{% macro clean_text(column) -%}
    nullif(trim({{ regexp_replace_all(column, '\\s+', ' ') }}), '')
{%- endmacro %}


{#
    Identifiers that arrive as text: trimmed, empty string as null (a blank foreign key in a CSV
    extract means "no reference", not a reference to the record with id '').
#}
{% macro clean_id(column) -%}
    nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

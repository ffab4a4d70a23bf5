{#
    Free text typed by people (names, company names, titles, subjects): runs of whitespace
    (including tabs and line breaks) folded to one space, trimmed, and empty strings as null,
    so that 'Data  Analyst ' and 'Data Analyst' compare equal and '' never counts as a value.
    Case is kept: it is display text; matching logic lower-cases where it needs to.
    The replacement runs only on a value it changes (two whitespace characters in a row, or one
    that is not a space): a match is about half the cost of a replacement, and almost every value
    is already clean (the staging of tens of millions of events, measured in docs/decisions.md).
#}
{% macro clean_text(column) -%}
    nullif(
        trim(
            case
                when {{ regexp_contains(column, '\\s\\s|[^\\S ]') }}
                    then {{ regexp_replace_all(column, '\\s+', ' ') }}
                else {{ column }}
            end
        ),
        ''
    )
{%- endmacro %}


{#
    Identifiers that arrive as text: trimmed, empty string as null (a blank foreign key in a CSV
    extract means "no reference", not a reference to the record with id '').
#}
{% macro clean_id(column) -%}
    nullif(trim(cast({{ column }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

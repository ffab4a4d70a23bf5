{#
    The email as a matching key: lower-cased, spaces removed (an address cannot contain one;
    manual entry adds them, inside as well as around), and null when the result is not shaped
    like an address (no '@' with something on both sides), so that 'n/a', '-' or '' never join
    two people together.
        '  Jane.Doe@ACME.com ' -> 'jane.doe@acme.com'
        ''                     -> null
#}
{% macro normalize_email(column) -%}
    {%- set cleaned = _email_without_spaces(column) -%}
    case when {{ cleaned }} like '_%@_%' then {{ cleaned }} end
{%- endmacro %}


{#
    The company domain of an email address: the part after the '@' of the normalised email,
    normalised like a website (see normalize_domain), so that jane@mail.acme.com and
    https://www.acme.com/ both give acme.com. Null when the email is not an address.
#}
{% macro email_domain(column) -%}
    {%- set cleaned = _email_without_spaces(column) -%}
    case when {{ cleaned }} like '_%@_%' then {{ normalize_domain(cleaned) }} end
{%- endmacro %}


{% macro _email_without_spaces(column) -%}
    {{ dbt.replace('lower(' ~ column ~ ')', "' '", "''") | trim }}
{%- endmacro %}

{#
    Whether an attribute value satisfies a configured condition (fit rules, model segments).
    Operators (see seeds/scoring/_scoring__seeds.yml): equals, not_equals, in, not_in, contains,
    between ('low|high', low included, high excluded), at_least, less_than, is_missing, is_present.
    Text comparisons ignore case; a missing value matches only is_missing. Lists are '|'-separated.
    Arguments are SQL expressions (column names).
#}
{% macro attribute_matches(operator, rule_value, value_text, value_number) -%}
    case
        when {{ operator }} = 'is_missing' then {{ value_text }} is null
        when {{ operator }} = 'is_present' then {{ value_text }} is not null
        when {{ value_text }} is null then false
        when {{ operator }} = 'equals' then lower({{ value_text }}) = lower({{ rule_value }})
        when {{ operator }} = 'not_equals' then lower({{ value_text }}) != lower({{ rule_value }})
        when {{ operator }} = 'in'
            then '|' || lower({{ rule_value }}) || '|' like '%|' || lower({{ value_text }}) || '|%'
        when {{ operator }} = 'not_in'
            then not ('|' || lower({{ rule_value }}) || '|' like '%|' || lower({{ value_text }}) || '|%')
        when {{ operator }} = 'contains'
            then lower({{ value_text }}) like '%' || lower({{ rule_value }}) || '%'
        when {{ value_number }} is null then false
        when {{ operator }} = 'between'
            then
                {{ value_number }} >= cast({{ dbt.split_part(rule_value, "'|'", 1) }} as {{ type_double() }})
                and {{ value_number }} < cast({{ dbt.split_part(rule_value, "'|'", 2) }} as {{ type_double() }})
        when {{ operator }} = 'at_least'
            then {{ value_number }} >= cast({{ rule_value }} as {{ type_double() }})
        when {{ operator }} = 'less_than'
            then {{ value_number }} < cast({{ rule_value }} as {{ type_double() }})
        else false
    end
{%- endmacro %}

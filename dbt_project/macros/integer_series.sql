{#
    A select of the integers 0 .. upper_bound - 1 as column `n` (upper_bound <= 1000), portable:
    three cross-joined digit lists, no generate_series.
#}
{% macro integer_series(upper_bound) -%}
    select n
    from (
        select units.digit + 10 * tens.digit + 100 * hundreds.digit as n
        from (
            {% for digit in range(10) %}select {{ digit }} as digit{% if not loop.last %} union all {% endif %}{% endfor %}
        ) as units
        cross join (
            {% for digit in range(10) %}select {{ digit }} as digit{% if not loop.last %} union all {% endif %}{% endfor %}
        ) as tens
        cross join (
            {% for digit in range(10) %}select {{ digit }} as digit{% if not loop.last %} union all {% endif %}{% endfor %}
        ) as hundreds
    ) as series
    where n < {{ upper_bound }}
{%- endmacro %}

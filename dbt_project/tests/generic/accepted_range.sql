{#
    Every non-null value of the column lies between min_value and max_value (either bound may
    be omitted: a missing bound compares the column with itself, which is always true). Fails
    with the offending rows, e.g. a priority of -1 in a seed.
#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
{% set lower_op = '>=' if inclusive else '>' %}
{% set upper_op = '<=' if inclusive else '<' %}
{% set lower_bound = column_name if min_value is none else min_value %}
{% set upper_bound = column_name if max_value is none else max_value %}

    select *
    from {{ model }}
    where
        {{ column_name }} is not null
        and not (
            {{ column_name }} {{ lower_op if min_value is not none else '>=' }} {{ lower_bound }}
            and {{ column_name }} {{ upper_op if max_value is not none else '<=' }} {{ upper_bound }}
        )

{% endtest %}

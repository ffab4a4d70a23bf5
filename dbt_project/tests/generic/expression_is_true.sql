{#
    A row-level invariant: returns the rows where `expression` is not true (false or null), so
    the failure lists exactly the rows to fix. Applies to the model, or to a column when the test
    is declared under one (the expression then usually mentions that column).
#}
{% test expression_is_true(model, expression, column_name=none) %}

    select *
    from {{ model }}
    where not coalesce({{ expression }}, false)

{% endtest %}

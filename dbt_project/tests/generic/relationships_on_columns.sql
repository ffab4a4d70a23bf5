{#
    A foreign key of several columns: every row of `model` whose `columns` are all filled must match a
    row of `to` on `to_columns` (same order). Returns the rows that match none.
#}
{% test relationships_on_columns(model, columns, to, to_columns) %}

    select child.*
    from {{ model }} as child
    where
        {% for column in columns %}child.{{ column }} is not null{% if not loop.last %} and {% endif %}{% endfor %}
        and not exists (
            select 1
            from {{ to }} as parent
            where
                {% for column in columns %}
                    child.{{ column }} = parent.{{ to_columns[loop.index0] }}{% if not loop.last %} and {% endif %}
                {% endfor %}
        )

{% endtest %}

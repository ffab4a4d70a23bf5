{#
    A polymorphic foreign key (Salesforce WhoId, WhatId) must point at a row in at least one of
    several parents. `parents` is a list of {to: "ref('model')", field: column} mappings.
    Returns the child values found in none of them. Null children are not checked.
#}
{% test relationships_to_any(model, column_name, parents) %}

    with

    children as (

        select {{ column_name }} as child_value
        from {{ model }}
        where {{ column_name }} is not null

    ),

    parent_values as (

        {% for parent in parents %}
            select {{ parent['field'] }} as parent_value
            from {{ parent['to'] }}
            {% if not loop.last %}union all{% endif %}
        {% endfor %}

    )

    select children.child_value
    from children
    left join parent_values
        on children.child_value = parent_values.parent_value
    where parent_values.parent_value is null

{% endtest %}

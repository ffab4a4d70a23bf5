{#
    The combination of `combination_of_columns` is unique: returns each duplicated combination
    with how many rows carry it.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
{% set columns_csv = combination_of_columns | join(', ') %}

    select
        {{ columns_csv }},
        count(*) as n_rows
    from {{ model }}
    group by {{ columns_csv }}
    having count(*) > 1

{% endtest %}

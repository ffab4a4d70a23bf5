{#
    The combination of `combination_of_columns` is unique: returns each duplicated combination
    with how many rows carry it (duplicate_keys).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

    {{ duplicate_keys(model, combination_of_columns) }}

{% endtest %}

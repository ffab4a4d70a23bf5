-- The date every score is computed as of: the `as_of` var when given (e.g. to re-score history),
-- else the latest day with a loaded activity. One row.

{% if var('as_of', none) is not none %}
    select cast('{{ var("as_of") }}' as date) as as_of_date
{% else %}
    select max(activity_date) as as_of_date
    from {{ ref('fct_activities') }}
{% endif %}

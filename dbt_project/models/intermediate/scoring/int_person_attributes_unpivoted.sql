-- Every attribute of every person, one row each, as the rules see them: `person.<column>` from
-- dim_persons and `account.<column>` from the person's account in dim_accounts. Built from the
-- marts' columns, so a column added there can be used by a rule without touching this model.
-- Missing values are kept (as nulls) so that `is_missing` rules can match them.

{% set attribute_columns = [] %}
{% if execute %}
    {% for column in adapter.get_columns_in_relation(ref('dim_persons')) %}
        {% do attribute_columns.append(('person', 'persons', column)) %}
    {% endfor %}
    {% for column in adapter.get_columns_in_relation(ref('dim_accounts')) %}
        {% do attribute_columns.append(('account', 'accounts', column)) %}
    {% endfor %}
{% endif %}

with

persons as (

    select * from {{ ref('dim_persons') }}

),

accounts as (

    select * from {{ ref('dim_accounts') }}

),

persons_with_accounts as (

    select
        persons.person_id,
        {% for prefix, relation, column in attribute_columns %}
            {{ relation }}.{{ column.name }} as {{ prefix }}__{{ column.name }},
        {% endfor %}
        persons.account_id
    from persons
    left join accounts on persons.account_id = accounts.account_id

),

unpivoted as (

    {% for prefix, relation, column in attribute_columns %}
        select
            person_id,
            '{{ prefix }}.{{ column.name }}' as attribute,
            cast({{ prefix }}__{{ column.name }} as {{ dbt.type_string() }}) as value_text,
            {% if column.is_number() %}
                cast({{ prefix }}__{{ column.name }} as {{ type_double() }})
            {% else %}
                cast(null as {{ type_double() }})
            {% endif %} as value_number
        from persons_with_accounts
        {% if not loop.last %}union all{% endif %}
    {% else %}
        -- parse time: no columns known yet
        select
            person_id,
            cast(null as {{ dbt.type_string() }}) as attribute,
            cast(null as {{ dbt.type_string() }}) as value_text,
            cast(null as {{ type_double() }}) as value_number
        from persons_with_accounts
    {% endfor %}

)

select * from unpivoted

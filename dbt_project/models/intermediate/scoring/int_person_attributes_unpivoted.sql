-- The attributes of every person that the seeds refer to, one row each, as the rules see them:
-- `person.<column>` from dim_persons and `account.<column>` from the person's account in
-- dim_accounts. Built from the marts' columns, so a column added there can be used by a rule without
-- touching this model. Missing values are kept (as nulls) so that `is_missing` rules can match them.
-- Only the columns a seed names are unpivoted (a fit rule, a fit-critical field, a model's segment,
-- a learning feature; macros/referenced_attributes.sql): 12 of 35 with the shipped seeds, a third of
-- the rows (docs/decisions.md, "Only the attributes the seeds name are unpivoted").

-- depends_on: {{ ref('fit_rules') }}
-- depends_on: {{ ref('fit_critical_fields') }}
-- depends_on: {{ ref('scoring_models') }}
-- depends_on: {{ ref('learning_features') }}

{% set attribute_columns = [] %}
{% if execute %}
    {% set referenced = referenced_attributes() %}
    {% for column in adapter.get_columns_in_relation(ref('dim_persons')) %}
        {% if not referenced or ('person.' ~ column.name) in referenced %}
            {% do attribute_columns.append(('person', 'persons', column)) %}
        {% endif %}
    {% endfor %}
    {% for column in adapter.get_columns_in_relation(ref('dim_accounts')) %}
        {% if not referenced or ('account.' ~ column.name) in referenced %}
            {% do attribute_columns.append(('account', 'accounts', column)) %}
        {% endif %}
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

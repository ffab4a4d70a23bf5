-- The fit rules each scored person matches: one row per person, model and matching rule, with its
-- points. Fit never decays: the points are the rule's points.

with

model_persons as (

    select * from {{ ref('int_scoring_model_persons') }}

),

rules as (

    select * from {{ ref('fit_rules') }}

),

attributes as (

    select * from {{ ref('int_person_attributes_unpivoted') }}

),

matched as (

    select
        model_persons.person_id,
        model_persons.model_id,
        model_persons.rule_version,
        rules.rule_id,
        rules.attribute,
        attributes.value_text as attribute_value,
        rules.points,
        rules.description
    from model_persons
    inner join rules on model_persons.model_id = rules.model_id
    inner join attributes
        on
            model_persons.person_id = attributes.person_id
            and rules.attribute = attributes.attribute
    where
        {{ attribute_matches(
            'rules.operator', 'rules.value', 'attributes.value_text', 'attributes.value_number'
        ) }}

)

select * from matched

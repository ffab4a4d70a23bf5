-- Who each scoring model scores: the people in its segment (a condition on one attribute) who
-- were known on the scoring date.

with

as_of as (

    select as_of_date from {{ ref('int_scoring_as_of') }}

),

models as (

    select * from {{ ref('scoring_models') }}

),

known_persons as (

    select persons.person_id
    from {{ ref('dim_persons') }} as persons
    cross join as_of
    where cast(persons.first_seen_at as date) <= as_of.as_of_date

),

in_segment as (

    select
        models.model_id,
        attributes.person_id,
        models.rule_version
    from models
    inner join {{ ref('int_person_attributes_unpivoted') }} as attributes
        on models.segment_attribute = attributes.attribute
    inner join known_persons on attributes.person_id = known_persons.person_id
    where
        {{ attribute_matches(
            'models.segment_operator', 'models.segment_value', 'attributes.value_text', 'attributes.value_number'
        ) }}

)

select * from in_segment

-- How many of its model's fit-critical fields each scored person has: below the model's
-- min_fit_fields_present the person cannot be an MQL (routed to needs_data instead).

with

model_persons as (

    select * from {{ ref('int_scoring_model_persons') }}

),

critical as (

    select * from {{ ref('fit_critical_fields') }}

),

counted as (

    select
        model_persons.person_id,
        model_persons.model_id,
        count(critical.attribute) as critical_fields,
        count(attributes.value_text) as critical_fields_present
    from model_persons
    inner join critical on model_persons.model_id = critical.model_id
    left join {{ ref('int_person_attributes_unpivoted') }} as attributes
        on
            model_persons.person_id = attributes.person_id
            and critical.attribute = attributes.attribute
    group by model_persons.person_id, model_persons.model_id

)

select
    counted.*,
    counted.critical_fields_present >= models.min_fit_fields_present as is_complete
from counted
inner join {{ ref('scoring_models') }} as models on counted.model_id = models.model_id

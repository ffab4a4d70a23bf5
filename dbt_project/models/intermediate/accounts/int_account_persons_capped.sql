-- Each scored person's contribution to their account's engagement, per model, as of the scoring
-- date: their decayed interest points within the model's MQA lookback (age_days < lookback_days,
-- positive and negative events), capped at person_contribution_cap so one enthusiast cannot
-- qualify an account (contribution = least(interest, cap)). Unconverted leads count at the
-- account dim_persons puts them at; persons without an account are left out. A person is engaged
-- when their contribution is positive. Fit is the person's fit score (int_person_scores_routed).

with

rules as (

    select
        model_id,
        lookback_days,
        person_contribution_cap
    from {{ ref('mqa_rules') }}

),

persons as (

    select
        model_persons.person_id,
        model_persons.model_id,
        dim_persons.account_id,
        dim_persons.department,
        dim_persons.seniority
    from {{ ref('int_scoring_model_persons') }} as model_persons
    inner join {{ ref('dim_persons') }} as dim_persons
        on model_persons.person_id = dim_persons.person_id
    where dim_persons.account_id is not null

),

interest as (

    select
        events.person_id,
        events.model_id,
        count(*) as events,
        sum(events.points) as interest_points
    from {{ ref('int_interest_events_decayed') }} as events
    inner join rules on events.model_id = rules.model_id
    where events.age_days < rules.lookback_days
    group by events.person_id, events.model_id

)

select
    persons.account_id,
    persons.model_id,
    persons.person_id,
    persons.department,
    persons.seniority,
    coalesce(levels.level, 0) as seniority_level,
    coalesce(scores.fit_score, 0) as fit_score,
    coalesce(interest.events, 0) as events,
    coalesce(interest.interest_points, 0) as interest_points,
    least(coalesce(interest.interest_points, 0), rules.person_contribution_cap) as contribution,
    least(coalesce(interest.interest_points, 0), rules.person_contribution_cap) > 0 as is_engaged
from persons
inner join rules on persons.model_id = rules.model_id
left join interest
    on persons.person_id = interest.person_id and persons.model_id = interest.model_id
left join {{ ref('seniority_levels') }} as levels on persons.seniority = levels.seniority
left join {{ ref('int_person_scores_routed') }} as scores
    on persons.person_id = scores.person_id and persons.model_id = scores.model_id

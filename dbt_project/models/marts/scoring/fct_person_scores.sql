-- Each scored person's scores as of the scoring date, per model: fit and interest (never blended),
-- their grades, the route from the grade matrix, whether that makes them an MQL, and the reasons
-- in words: the three largest positive contributions and the largest negative one. Contributions
-- of one event type are grouped ("Pricing page view x4: +23.5").

with

ledger as (

    select * from {{ ref('fct_score_ledger') }}
    where component != 'interest_floor'

),

reasons as (

    select
        person_id,
        model_id,
        reason,
        count(*) as contributions,
        sum(points) as points
    from ledger
    group by person_id, model_id, reason

),

-- The three largest positive reasons and the largest negative one, each ranked among the reasons of
-- its sign only, and worded once ranked: one ranking sorts the positive reasons, and the other the
-- few negative ones, rather than both sorting every reason (8.6M and 0.7M of 9.2M on large).
positive_ranked as (

    select
        person_id,
        model_id,
        reason,
        contributions,
        points,
        row_number() over (
            partition by person_id, model_id order by points desc, reason asc
        ) as reason_rank
    from reasons
    where points > 0

),

negative_ranked as (

    select
        person_id,
        model_id,
        reason,
        contributions,
        points,
        row_number() over (
            partition by person_id, model_id order by points asc, reason asc
        ) as reason_rank
    from reasons
    where points < 0

),

top_ranked as (

    select
        'positive' as reason_sign,
        person_id,
        model_id,
        reason,
        contributions,
        points,
        reason_rank
    from positive_ranked
    where reason_rank <= 3

    union all

    select
        'negative' as reason_sign,
        person_id,
        model_id,
        reason,
        contributions,
        points,
        reason_rank
    from negative_ranked
    where reason_rank = 1

),

worded as (

    select
        reason_sign,
        person_id,
        model_id,
        reason_rank,
        reason
        || case
            when contributions > 1 then ' x' || cast(contributions as {{ dbt.type_string() }}) else ''
        end
        || ': '
        || case when points >= 0 then '+' else '' end
        || cast(round(cast(points as numeric), 1) as {{ dbt.type_string() }}) as reason_text
    from top_ranked

),

top_reasons as (

    select
        person_id,
        model_id,
        max(case when reason_sign = 'positive' and reason_rank = 1 then reason_text end)
        || coalesce(
            '; ' || max(case when reason_sign = 'positive' and reason_rank = 2 then reason_text end), ''
        )
        || coalesce(
            '; ' || max(case when reason_sign = 'positive' and reason_rank = 3 then reason_text end), ''
        )
            as top_positive_reasons,
        max(case when reason_sign = 'negative' then reason_text end) as top_negative_reason
    from worded
    group by person_id, model_id

)

select
    scores.person_id,
    scores.model_id,
    scores.as_of_date,
    scores.fit_score,
    scores.interest_score,
    scores.fit_grade,
    scores.interest_grade,
    scores.matrix_cell,
    scores.route,
    scores.is_mql,
    scores.matrix_route,
    scores.critical_fields_present,
    scores.critical_fields,
    top_reasons.top_positive_reasons,
    top_reasons.top_negative_reason,
    scores.rule_version
from {{ ref('int_person_scores_routed') }} as scores
left join top_reasons
    on scores.person_id = top_reasons.person_id and scores.model_id = top_reasons.model_id

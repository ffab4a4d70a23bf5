-- Each scored person's fit and interest as of the scoring date, their grades (the best grade
-- whose minimum the score reaches), the matrix route, and the completeness gate: a person the
-- matrix would make an MQL but who lacks too many fit-critical fields goes to needs_data.
-- Interest is floored at zero so a re-engaging person is not stuck below it.

with

as_of as (

    select as_of_date from {{ ref('int_scoring_as_of') }}

),

model_persons as (

    select * from {{ ref('int_scoring_model_persons') }}

),

fit as (

    select
        person_id,
        model_id,
        sum(points) as fit_score
    from {{ ref('int_fit_rules_matched') }}
    group by person_id, model_id

),

interest as (

    select
        person_id,
        model_id,
        sum(points) as interest_points
    from {{ ref('int_interest_events_decayed') }}
    group by person_id, model_id

),

scores as (

    select
        model_persons.person_id,
        model_persons.model_id,
        model_persons.rule_version,
        coalesce(fit.fit_score, 0) as fit_score,
        coalesce(interest.interest_points, 0) as interest_points,
        greatest(coalesce(interest.interest_points, 0), 0) as interest_score
    from model_persons
    left join fit
        on model_persons.person_id = fit.person_id and model_persons.model_id = fit.model_id
    left join interest
        on model_persons.person_id = interest.person_id and model_persons.model_id = interest.model_id

),

thresholds as (

    select * from {{ ref('grade_thresholds') }}

),

-- One grading step for both dimensions: the best grade whose minimum the score reaches.
graded as (

    select
        scored.person_id,
        scored.model_id,
        scored.dimension,
        thresholds.grade,
        row_number() over (
            partition by scored.person_id, scored.model_id, scored.dimension
            order by thresholds.min_score desc
        ) as grade_rank
    from (
        select
            person_id,
            model_id,
            'fit' as dimension,
            fit_score as score
        from scores
        union all
        select
            person_id,
            model_id,
            'interest' as dimension,
            interest_score as score
        from scores
    ) as scored
    inner join thresholds
        on
            scored.model_id = thresholds.model_id
            and scored.dimension = thresholds.dimension
            and scored.score >= thresholds.min_score

),

routed as (

    select
        scores.person_id,
        scores.model_id,
        as_of.as_of_date,
        scores.rule_version,
        scores.fit_score,
        scores.interest_points,
        scores.interest_score,
        fit_graded.grade as fit_grade,
        interest_graded.grade as interest_grade,
        completeness.critical_fields,
        completeness.critical_fields_present,
        completeness.is_complete,
        matrix.route as matrix_route,
        fit_graded.grade || interest_graded.grade as matrix_cell,
        case
            when matrix_routes.is_mql and not completeness.is_complete then 'needs_data'
            else matrix.route
        end as route
    from scores
    cross join as_of
    inner join graded as fit_graded
        on
            scores.person_id = fit_graded.person_id
            and scores.model_id = fit_graded.model_id
            and fit_graded.dimension = 'fit'
            and fit_graded.grade_rank = 1
    inner join graded as interest_graded
        on
            scores.person_id = interest_graded.person_id
            and scores.model_id = interest_graded.model_id
            and interest_graded.dimension = 'interest'
            and interest_graded.grade_rank = 1
    inner join {{ ref('int_person_completeness') }} as completeness
        on scores.person_id = completeness.person_id and scores.model_id = completeness.model_id
    inner join {{ ref('routing_matrix') }} as matrix
        on
            scores.model_id = matrix.model_id
            and fit_graded.grade = matrix.fit_grade
            and interest_graded.grade = matrix.interest_grade
    inner join {{ ref('routes') }} as matrix_routes on matrix.route = matrix_routes.route

)

select
    routed.*,
    routes.is_mql
from routed
inner join {{ ref('routes') }} as routes on routed.route = routes.route

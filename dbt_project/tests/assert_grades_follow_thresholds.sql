-- Every grade is the best one whose minimum the score reaches: the score reaches its grade's
-- minimum and no better grade's. Returns the scores graded wrongly.

with

scores as (

    select
        person_id,
        model_id,
        'fit' as dimension,
        fit_grade as grade,
        fit_score as score
    from {{ ref('fct_person_scores') }}
    union all
    select
        person_id,
        model_id,
        'interest' as dimension,
        interest_grade as grade,
        interest_score as score
    from {{ ref('fct_person_scores') }}

),

thresholds as (

    select * from {{ ref('grade_thresholds') }}

)

select
    scores.*,
    own.min_score as own_min_score
from scores
inner join thresholds as own
    on
        scores.model_id = own.model_id
        and scores.dimension = own.dimension
        and scores.grade = own.grade
where
    scores.score < own.min_score
    or exists (
        select 1
        from thresholds as better
        where
            better.model_id = scores.model_id
            and better.dimension = scores.dimension
            and better.min_score > own.min_score
            and scores.score >= better.min_score
    )

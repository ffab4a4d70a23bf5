-- Each scoring model has a full configuration: four fit grades (A-D), four interest grades (1-4)
-- and all sixteen matrix cells. Returns what is missing, per model.

with

models as (

    select model_id from {{ ref('scoring_models') }}

),

expected_grades as (

    select
        grades.dimension,
        grades.grade
    from (
        values
        ('fit', 'A'), ('fit', 'B'), ('fit', 'C'), ('fit', 'D'),
        ('interest', '1'), ('interest', '2'), ('interest', '3'), ('interest', '4')
    ) as grades (dimension, grade)

),

missing_grades as (

    select
        models.model_id,
        'grade_thresholds: ' || expected_grades.dimension || ' grade ' || expected_grades.grade as missing
    from models
    cross join expected_grades
    left join {{ ref('grade_thresholds') }} as thresholds
        on
            models.model_id = thresholds.model_id
            and expected_grades.dimension = thresholds.dimension
            and expected_grades.grade = thresholds.grade
    where thresholds.model_id is null

),

missing_cells as (

    select
        models.model_id,
        'routing_matrix: cell ' || fit.grade || interest.grade as missing
    from models
    cross join expected_grades as fit
    cross join expected_grades as interest
    left join {{ ref('routing_matrix') }} as matrix
        on
            models.model_id = matrix.model_id
            and fit.grade = matrix.fit_grade
            and interest.grade = matrix.interest_grade
    where fit.dimension = 'fit' and interest.dimension = 'interest' and matrix.model_id is null

)

select * from missing_grades
union all
select * from missing_cells

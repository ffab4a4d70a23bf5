-- Department and seniority for every distinct job title, from the title taxonomy seed. Each
-- dimension is resolved on its own: the lowest-priority matching pattern that sets it wins
-- (see seeds/reference/_reference__seeds.yml).

with

titles as (

    select distinct {{ person_title_key('title') }} as title_key
    from {{ ref('int_person_records_unioned') }}
    where title is not null

),

matches as (

    select
        titles.title_key,
        taxonomy.department,
        taxonomy.seniority,
        taxonomy.priority
    from titles
    inner join {{ ref('title_taxonomy') }} as taxonomy
        on titles.title_key like taxonomy.title_pattern

),

ranked as (

    select
        title_key,
        department,
        seniority,
        row_number() over (
            partition by title_key order by case when department is null then 1 else 0 end, priority
        ) as department_rank,
        row_number() over (
            partition by title_key order by case when seniority is null then 1 else 0 end, priority
        ) as seniority_rank
    from matches

),

classified as (

    select
        titles.title_key,
        max(case when ranked.department_rank = 1 then ranked.department end) as department,
        max(case when ranked.seniority_rank = 1 then ranked.seniority end) as seniority
    from titles
    left join ranked on titles.title_key = ranked.title_key
    group by titles.title_key

)

select * from classified

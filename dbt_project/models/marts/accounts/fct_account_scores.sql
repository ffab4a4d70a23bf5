-- Each scored account's MQA state per model on the scoring date: fit, capped engagement, engaged
-- people, their departments and seniorities, buyer-committee coverage and missing roles, the
-- likelihood against the day's baseline, open opportunities (tracked, never a new MQA; at risk when
-- a required role has no engaged person), is_mqa, and the reasons in words: which rules held, the
-- three people contributing most and the three event types that brought the most points.

with

scored as (

    select * from {{ ref('int_accounts_scored') }}

),

rules as (

    select
        model_id,
        lookback_days
    from {{ ref('mqa_rules') }}

),

persons as (

    select * from {{ ref('int_account_persons_capped') }}

),

ranked_people as (

    select
        persons.account_id,
        persons.model_id,
        coalesce(
            nullif(
                trim(coalesce(dim_persons.first_name, '') || ' ' || coalesce(dim_persons.last_name, '')),
                ''
            ),
            persons.person_id
        )
        || ' ('
        || coalesce(persons.seniority, 'unknown seniority')
        || ', '
        || coalesce(persons.department, 'unknown department')
        || '): +'
        || cast(round(persons.contribution, 1) as {{ dbt.type_string() }})
        || case
            when persons.interest_points > persons.contribution then ' (capped)' else ''
        end as person_text,
        row_number() over (
            partition by persons.account_id, persons.model_id
            order by persons.contribution desc, persons.person_id asc
        ) as person_rank
    from persons
    inner join {{ ref('dim_persons') }} as dim_persons on persons.person_id = dim_persons.person_id
    where persons.is_engaged

),

top_people as (

    select
        account_id,
        model_id,
        {{ ordered_list('person_text', "'; '", 'person_rank') }} as top_people
    from ranked_people
    where person_rank <= 3
    group by account_id, model_id

),

event_types as (

    select
        persons.account_id,
        persons.model_id,
        events.event_type,
        count(*) as events,
        sum(events.points) as points
    from {{ ref('int_interest_events_decayed') }} as events
    inner join rules on events.model_id = rules.model_id
    inner join persons
        on events.person_id = persons.person_id and events.model_id = persons.model_id
    where events.age_days < rules.lookback_days
    group by persons.account_id, persons.model_id, events.event_type

),

ranked_event_types as (

    select
        account_id,
        model_id,
        event_type
        || ' x'
        || cast(events as {{ dbt.type_string() }})
        || ': +'
        || cast(round(points, 1) as {{ dbt.type_string() }}) as event_type_text,
        row_number() over (
            partition by account_id, model_id order by points desc, event_type asc
        ) as event_type_rank
    from event_types
    where points > 0

),

top_event_types as (

    select
        account_id,
        model_id,
        {{ ordered_list('event_type_text', "'; '", 'event_type_rank') }} as top_event_types
    from ranked_event_types
    where event_type_rank <= 3
    group by account_id, model_id

)

select
    scored.account_id,
    scored.model_id,
    scored.as_of_date,
    scored.fit,
    scored.engagement,
    cast(scored.engaged_people as {{ dbt.type_int() }}) as engaged_people,
    scored.departments,
    scored.seniorities,
    cast(scored.roles_expected as {{ dbt.type_int() }}) as roles_expected,
    cast(scored.roles_filled as {{ dbt.type_int() }}) as roles_filled,
    scored.coverage,
    scored.missing_roles,
    scored.missing_required_roles,
    scored.likelihood,
    scored.baseline,
    scored.lift,
    scored.likelihood_needed,
    cast(scored.open_opportunities as {{ dbt.type_int() }}) as open_opportunities,
    scored.has_open_opportunity,
    scored.is_at_risk,
    scored.is_mqa,
    scored.rule_reasons
    || coalesce('. Top people: ' || top_people.top_people, '')
    || coalesce('. Top event types: ' || top_event_types.top_event_types, '') as reasons
from scored
left join top_people
    on scored.account_id = top_people.account_id and scored.model_id = top_people.model_id
left join top_event_types
    on scored.account_id = top_event_types.account_id and scored.model_id = top_event_types.model_id

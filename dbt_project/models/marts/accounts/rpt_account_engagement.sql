-- Account engagement for a dashboard: per account and calendar week up to the scoring date, the
-- touches broken down four ways (event type, department, seniority, person). Each breakdown is a
-- full cut of the same touches, so the rows of one breakdown add up to the account's week.
-- Interest points are the decayed points of model 'core' in fct_score_ledger on the scoring date.

with

as_of as (

    select as_of_date from {{ ref('int_scoring_as_of') }}

),

activities as (

    select
        activities.activity_id,
        activities.person_id,
        activities.account_id,
        activities.event_type,
        activities.activity_date,
        activities.direction,
        activities.is_engagement
    from {{ ref('fct_activities') }} as activities
    cross join as_of
    where
        activities.account_id is not null
        and activities.activity_date <= as_of.as_of_date

),

persons as (

    select
        person_id,
        department,
        seniority,
        nullif(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')), '') as person_name
    from {{ ref('dim_persons') }}

),

accounts as (

    select
        account_id,
        account_name
    from {{ ref('dim_accounts') }}

),

-- One row per activity of each scored event; activities that did not score have none.
interest_points as (

    select
        ledger.person_id,
        ledger.contribution_id as activity_id,
        ledger.points
    from {{ ref('fct_score_ledger') }} as ledger
    inner join as_of
        on ledger.as_of_date = as_of.as_of_date
    where
        ledger.model_id = 'core'
        and ledger.component = 'interest'

),

-- One row per person, week, event type and direction: the touches and the points they carry.
-- Aggregating here first keeps the activity ids out of the four breakdowns below (a breakdown
-- repeats every row, and on tens of millions of touches the ids alone outgrow the memory).
person_weeks as (

    select
        activities.account_id,
        activities.person_id,
        cast({{ dbt.date_trunc('week', 'activities.activity_date') }} as date) as week_start,
        activities.event_type,
        activities.direction,
        coalesce(activities.is_engagement, false) as is_engagement,
        count(*) as touches,
        sum(coalesce(interest_points.points, 0)) as interest_points
    from activities
    left join interest_points
        on
            activities.activity_id = interest_points.activity_id
            and activities.person_id = interest_points.person_id
    group by
        activities.account_id,
        activities.person_id,
        cast({{ dbt.date_trunc('week', 'activities.activity_date') }} as date),
        activities.event_type,
        activities.direction,
        coalesce(activities.is_engagement, false)

),

-- One row per person and week. A person falls under one department, seniority and name, so
-- counting these rows counts people: no distinct count over tens of millions of touches.
person_week_totals as (

    select
        person_weeks.account_id,
        person_weeks.person_id,
        person_weeks.week_start,
        sum(case when person_weeks.direction = 'inbound' then person_weeks.touches else 0 end)
            as inbound_touches,
        sum(case when person_weeks.direction = 'outbound' then person_weeks.touches else 0 end)
            as outbound_touches,
        max(case when person_weeks.direction = 'inbound' and person_weeks.is_engagement then 1 else 0 end)
            as is_engaged,
        sum(person_weeks.interest_points) as interest_points
    from person_weeks
    group by person_weeks.account_id, person_weeks.person_id, person_weeks.week_start

),

person_week_profiles as (

    select
        person_week_totals.*,
        persons.person_name,
        coalesce(persons.department, 'unknown') as department,
        coalesce(persons.seniority, 'unknown') as seniority
    from person_week_totals
    left join persons
        on person_week_totals.person_id = persons.person_id

),

-- An event type's inbound engagement rows of a week are one per person (person_weeks' grain).
by_event_type as (

    select
        account_id,
        week_start,
        'event_type' as breakdown,
        event_type as breakdown_value,
        cast(null as {{ dbt.type_string() }}) as person_name,
        sum(case when direction = 'inbound' then touches else 0 end) as inbound_touches,
        sum(case when direction = 'outbound' then touches else 0 end) as outbound_touches,
        sum(case when direction = 'inbound' and is_engagement then 1 else 0 end) as engaged_people,
        sum(interest_points) as interest_points
    from person_weeks
    group by account_id, week_start, event_type

),

-- The department and seniority cuts: one row per value and week, counting its people.
{% for dimension in ['department', 'seniority'] %}
    by_{{ dimension }} as (

        select
            account_id,
            week_start,
            '{{ dimension }}' as breakdown,
            {{ dimension }} as breakdown_value,
            cast(null as {{ dbt.type_string() }}) as person_name,
            sum(inbound_touches) as inbound_touches,
            sum(outbound_touches) as outbound_touches,
            sum(is_engaged) as engaged_people,
            sum(interest_points) as interest_points
        from person_week_profiles
        group by account_id, week_start, {{ dimension }}

    ),

{% endfor %}
by_person as (

    select
        account_id,
        week_start,
        'person' as breakdown,
        person_id as breakdown_value,
        person_name,
        inbound_touches,
        outbound_touches,
        is_engaged as engaged_people,
        interest_points
    from person_week_profiles

),

breakdowns as (

    select * from by_event_type
    union all
    select * from by_department
    union all
    select * from by_seniority
    union all
    select * from by_person

),

aggregated as (

    select
        account_id,
        week_start,
        breakdown,
        breakdown_value,
        person_name,
        cast(inbound_touches as {{ dbt.type_bigint() }}) as inbound_touches,
        cast(outbound_touches as {{ dbt.type_bigint() }}) as outbound_touches,
        cast(engaged_people as {{ dbt.type_bigint() }}) as engaged_people,
        interest_points
    from breakdowns

),

final as (

    select
        aggregated.account_id,
        accounts.account_name,
        aggregated.week_start,
        aggregated.breakdown,
        aggregated.breakdown_value,
        aggregated.person_name,
        aggregated.inbound_touches,
        aggregated.outbound_touches,
        aggregated.engaged_people,
        aggregated.interest_points
    from aggregated
    left join accounts
        on aggregated.account_id = accounts.account_id

)

select * from final

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

touches as (

    select
        person_weeks.*,
        coalesce(persons.department, 'unknown') as department,
        coalesce(persons.seniority, 'unknown') as seniority,
        persons.person_name
    from person_weeks
    left join persons
        on person_weeks.person_id = persons.person_id

),

-- Each person-week once per breakdown, labelled with the value it falls under.
breakdowns as (

    select
        *,
        'event_type' as breakdown,
        event_type as breakdown_value
    from touches
    union all
    select
        *,
        'department' as breakdown,
        department as breakdown_value
    from touches
    union all
    select
        *,
        'seniority' as breakdown,
        seniority as breakdown_value
    from touches
    union all
    select
        *,
        'person' as breakdown,
        person_id as breakdown_value
    from touches

),

-- Per breakdown value and person first, so that counting the engaged people needs no distinct
-- (a distinct count keeps every value in memory; sums spill to disk when they must).
person_values as (

    select
        account_id,
        week_start,
        breakdown,
        breakdown_value,
        person_id,
        max(case when breakdown = 'person' then person_name end) as person_name,
        sum(case when direction = 'inbound' then touches else 0 end) as inbound_touches,
        sum(case when direction = 'outbound' then touches else 0 end) as outbound_touches,
        max(case when direction = 'inbound' and is_engagement then 1 else 0 end) as is_engaged,
        sum(interest_points) as interest_points
    from breakdowns
    group by
        account_id,
        week_start,
        breakdown,
        breakdown_value,
        person_id

),

aggregated as (

    select
        account_id,
        week_start,
        breakdown,
        breakdown_value,
        max(person_name) as person_name,
        cast(sum(inbound_touches) as {{ dbt.type_bigint() }}) as inbound_touches,
        cast(sum(outbound_touches) as {{ dbt.type_bigint() }}) as outbound_touches,
        cast(sum(is_engaged) as {{ dbt.type_bigint() }}) as engaged_people,
        sum(interest_points) as interest_points
    from person_values
    group by
        account_id,
        week_start,
        breakdown,
        breakdown_value

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

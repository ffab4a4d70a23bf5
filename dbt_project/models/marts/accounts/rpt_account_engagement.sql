-- Account engagement for a dashboard: per account and calendar week up to the scoring date, the
-- touches broken down four ways (event type, department, seniority, person). Each breakdown is a
-- full cut of the same touches, so the rows of one breakdown add up to the account's week.
-- Interest points are the decayed points of model 'core' in fct_score_ledger on the scoring date.
-- The touches come counted per person, week, event type and direction
-- (int_account_person_week_touches) and per person and week with the person's profile
-- (int_account_person_week_totals); the points per person, week and event type
-- (int_account_person_week_points).

with

accounts as (

    select
        account_id,
        account_name
    from {{ ref('dim_accounts') }}

),

-- An event type's inbound engagement rows of a week are one per person
-- (int_account_person_week_touches' grain).
event_type_touches as (

    select
        account_id,
        week_start,
        event_type,
        sum(case when direction = 'inbound' then touches else 0 end) as inbound_touches,
        sum(case when direction = 'outbound' then touches else 0 end) as outbound_touches,
        sum(case when direction = 'inbound' and is_engagement then 1 else 0 end) as engaged_people
    from {{ ref('int_account_person_week_touches') }}
    group by account_id, week_start, event_type

),

event_type_points as (

    select
        account_id,
        week_start,
        event_type,
        sum(interest_points) as interest_points
    from {{ ref('int_account_person_week_points') }}
    group by account_id, week_start, event_type

),

by_event_type as (

    select
        event_type_touches.account_id,
        event_type_touches.week_start,
        'event_type' as breakdown,
        event_type_touches.event_type as breakdown_value,
        cast(null as {{ dbt.type_string() }}) as person_name,
        event_type_touches.inbound_touches,
        event_type_touches.outbound_touches,
        event_type_touches.engaged_people,
        coalesce(event_type_points.interest_points, 0) as interest_points
    from event_type_touches
    left join event_type_points
        on
            event_type_touches.account_id = event_type_points.account_id
            and event_type_touches.week_start = event_type_points.week_start
            and event_type_touches.event_type = event_type_points.event_type

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
        from {{ ref('int_account_person_week_totals') }}
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
    from {{ ref('int_account_person_week_totals') }}

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

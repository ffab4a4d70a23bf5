-- Account engagement for a dashboard: per account and calendar week up to the scoring date, the
-- touches broken down four ways (event type, department, seniority, person). Each breakdown is a
-- full cut of the same touches, so the rows of one breakdown add up to the account's week.
-- Interest points are the points the week's touches earned in model 'core': each event's rule
-- points after the cap of its calendar cap window, before decay (docs/decisions.md, 2026-12-01).
-- They change only when the account's touches do, so the report is history too: a daily build
-- computes again only the weeks of the people whose totals were computed again, and of the
-- accounts renamed, and keeps the rest (macros/engagement_weeks.sql). refreshed_at is when a row
-- was computed.
-- The touches and points come per person, week, event type and direction
-- (int_account_person_week_touches) and per person and week with the person's profile
-- (int_account_person_week_totals).

-- depends_on: {{ ref('int_person_record_versions') }}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ refresh_account_engagement() }}",
        post_hook="{{ forget_refreshed_keys('weeks_refreshed') }}"
    )
}}

with

accounts as (

    select
        account_id,
        account_name
    from {{ ref('dim_accounts') }}

),

-- An event type's inbound engagement rows of a week are one per person
-- (int_account_person_week_touches' grain).
by_event_type as (

    select
        touches.account_id,
        touches.week_start,
        'event_type' as breakdown,
        touches.event_type as breakdown_value,
        cast(null as {{ dbt.type_string() }}) as person_name,
        sum(case when touches.direction = 'inbound' then touches.touches else 0 end) as inbound_touches,
        sum(case when touches.direction = 'outbound' then touches.touches else 0 end) as outbound_touches,
        sum(
            case when touches.direction = 'inbound' and touches.is_engagement then 1 else 0 end
        ) as engaged_people,
        sum(touches.interest_points) as interest_points
    from {{ ref('int_account_person_week_touches') }} as touches
    where {{ engagement_week_is_refreshed('touches') }}
    group by touches.account_id, touches.week_start, touches.event_type

),

-- The department and seniority cuts: one row per value and week, counting its people.
{% for dimension in ['department', 'seniority'] %}
    by_{{ dimension }} as (

        select
            totals.account_id,
            totals.week_start,
            '{{ dimension }}' as breakdown,
            totals.{{ dimension }} as breakdown_value,
            cast(null as {{ dbt.type_string() }}) as person_name,
            sum(totals.inbound_touches) as inbound_touches,
            sum(totals.outbound_touches) as outbound_touches,
            sum(totals.is_engaged) as engaged_people,
            sum(totals.interest_points) as interest_points
        from {{ ref('int_account_person_week_totals') }} as totals
        where {{ engagement_week_is_refreshed('totals') }}
        group by totals.account_id, totals.week_start, totals.{{ dimension }}

    ),

{% endfor %}
by_person as (

    select
        totals.account_id,
        totals.week_start,
        'person' as breakdown,
        totals.person_id as breakdown_value,
        totals.person_name,
        totals.inbound_touches,
        totals.outbound_touches,
        totals.is_engaged as engaged_people,
        totals.interest_points
    from {{ ref('int_account_person_week_totals') }} as totals
    where {{ engagement_week_is_refreshed('totals') }}

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
        aggregated.interest_points,
        {{ run_started_timestamp() }} as refreshed_at
    from aggregated
    left join accounts
        on aggregated.account_id = accounts.account_id

)

select * from final

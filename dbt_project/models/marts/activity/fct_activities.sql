-- The activity fact: every touch of every known person, once, in the canonical vocabulary, with
-- the person's account and whether the touch is the person's own engagement. Second recordings of
-- one touch (see int_activities_deduplicated) are left out.

with

-- An incremental build filters here, on activity_at, before any join.
activities as (

    select * from {{ ref('int_activities_deduplicated') }}
    where copy_of_activity_id is null

),

persons as (

    select
        person_id,
        account_id
    from {{ ref('dim_persons') }}

),

event_types as (

    select
        event_type,
        is_engagement
    from {{ ref('canonical_event_types') }}

),

final as (

    select
        activities.activity_id,
        activities.person_id,
        persons.account_id,
        activities.source_system,
        activities.source_object,
        activities.source_activity_type,
        activities.event_type,
        activities.activity_at,
        activities.activity_date,
        activities.direction,
        activities.channel,
        activities.campaign_id,
        activities.attribute,
        event_types.is_engagement
    from activities
    left join persons
        on activities.person_id = persons.person_id
    left join event_types
        on activities.event_type = event_types.event_type

)

select * from final

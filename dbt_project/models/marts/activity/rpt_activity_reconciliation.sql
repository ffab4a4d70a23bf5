-- Where every source activity went, per source activity type: left out for want of a known
-- person, not an event (no taxonomy row matches, or an identity event such as a Marketo merge),
-- dropped as a second recording of a touch another system owns, or in fct_activities. Nothing is
-- dropped silently: the counts of one row add up to its source rows.

with

unioned as (

    select
        source_system,
        source_object,
        source_activity_type,
        count(*) as source_rows,
        sum(case when person_id is null then 1 else 0 end) as rows_without_person
    from {{ ref('int_activities_unioned') }}
    group by source_system, source_object, source_activity_type

),

deduplicated as (

    select
        source_system,
        source_object,
        source_activity_type,
        count(*) as classified_rows,
        sum(case when copy_rule = 'web_page_view' then 1 else 0 end) as copies_of_web_page_views,
        sum(case when copy_rule = 'crm_campaign_member' then 1 else 0 end) as copies_of_campaign_members
    from {{ ref('int_activities_deduplicated') }}
    group by source_system, source_object, source_activity_type

),

facts as (

    select
        source_system,
        source_object,
        source_activity_type,
        count(*) as fact_rows
    from {{ ref('fct_activities') }}
    group by source_system, source_object, source_activity_type

)

select
    unioned.source_system,
    unioned.source_object,
    unioned.source_activity_type,
    unioned.source_rows,
    unioned.rows_without_person,
    unioned.source_rows
    - unioned.rows_without_person
    - coalesce(deduplicated.classified_rows, 0) as rows_not_events,
    coalesce(deduplicated.copies_of_web_page_views, 0) as copies_of_web_page_views,
    coalesce(deduplicated.copies_of_campaign_members, 0) as copies_of_campaign_members,
    coalesce(facts.fact_rows, 0) as fact_rows
from unioned
left join deduplicated
    on
        unioned.source_system = deduplicated.source_system
        and unioned.source_object = deduplicated.source_object
        and unioned.source_activity_type = deduplicated.source_activity_type
left join facts
    on
        unioned.source_system = facts.source_system
        and unioned.source_object = facts.source_object
        and unioned.source_activity_type = facts.source_activity_type

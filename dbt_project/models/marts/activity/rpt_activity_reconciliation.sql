-- Where every source activity went, per source activity type: left out for want of a known
-- person, not an event (no taxonomy row matches, or an identity event such as a Marketo merge),
-- dropped as a second recording of a touch another system owns, or in fct_activities. Nothing is
-- dropped silently: the counts of one row add up to its source rows. Deleted CRM tasks and
-- campaign members are not activities and are not counted.

with

resolved as (

    select
        source_system,
        source_object,
        source_activity_type,
        count(*) as source_rows,
        sum(case when person_id is null then 1 else 0 end) as rows_without_person,
        sum(case when person_id is not null and event_type is null then 1 else 0 end) as rows_not_events,
        sum(case when copy_rule = 'web_page_view' then 1 else 0 end) as copies_of_web_page_views,
        sum(case when copy_rule = 'crm_campaign_member' then 1 else 0 end) as copies_of_campaign_members
    from {{ ref('int_activities_resolved') }}
    where not is_deleted
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
    resolved.source_system,
    resolved.source_object,
    resolved.source_activity_type,
    resolved.source_rows,
    resolved.rows_without_person,
    resolved.rows_not_events,
    resolved.copies_of_web_page_views,
    resolved.copies_of_campaign_members,
    coalesce(facts.fact_rows, 0) as fact_rows
from resolved
left join facts
    on
        resolved.source_system = facts.source_system
        and resolved.source_object = facts.source_object
        and resolved.source_activity_type = facts.source_activity_type

-- Marks the Marketo activities that are a second recording of a touch another system owns, so that
-- one human action is one row (copy_of_activity_id is null for the rows that stand):
--
-- * web page views: Marketo's Munchkin logs a "Visit Webpage" for the same page load the web
--   analytics tool records. A Marketo web activity is a copy when the same person has a web page
--   view of the same event type on the same URL (query string ignored: Marketo keeps it apart)
--   within var('activity_copy_tolerance_seconds') of it. The web page view is kept.
-- * campaign responses: Marketo's form fills and webinar attendances on a CRM campaign are also
--   written to the CRM as campaign member statuses (Registered, Attended, Responded). A Marketo
--   activity is a copy when the same person has a CRM campaign member of the same campaign with the
--   same event type on the same day (the CRM keeps only the response date). The CRM member is kept.
--
-- Set-based: two equi-joins on the person; no window over the activities.

{% set tolerance_seconds = var('activity_copy_tolerance_seconds') %}

with

activities as (

    select * from {{ ref('int_activities_classified') }}

),

map_activities as (

    select
        activity_id,
        person_id,
        event_type,
        channel,
        campaign_id,
        {{ dbt.split_part('attribute', "'?'", 1) }} as page_url,
        activity_at,
        activity_date
    from activities
    where source_system = 'map'

),

web_page_views as (

    select
        activity_id,
        person_id,
        event_type,
        {{ dbt.split_part('attribute', "'?'", 1) }} as page_url,
        activity_at
    from activities
    where source_system = 'web'

),

crm_campaign_responses as (

    select
        activity_id,
        person_id,
        event_type,
        campaign_id,
        activity_date
    from activities
    where source_object = 'campaign_member'

),

copies_of_web_page_views as (

    select
        map_activities.activity_id,
        'web_page_view' as copy_rule,
        min(web_page_views.activity_id) as copy_of_activity_id
    from map_activities
    inner join web_page_views
        on
            map_activities.person_id = web_page_views.person_id
            and map_activities.event_type = web_page_views.event_type
            and map_activities.page_url = web_page_views.page_url
            and map_activities.activity_at
            between {{ dbt.dateadd('second', '-' ~ tolerance_seconds, 'web_page_views.activity_at') }}
            and {{ dbt.dateadd('second', tolerance_seconds, 'web_page_views.activity_at') }}
    where map_activities.channel = 'web'
    group by map_activities.activity_id

),

copies_of_campaign_responses as (

    select
        map_activities.activity_id,
        'crm_campaign_member' as copy_rule,
        min(crm_campaign_responses.activity_id) as copy_of_activity_id
    from map_activities
    inner join crm_campaign_responses
        on
            map_activities.person_id = crm_campaign_responses.person_id
            and map_activities.campaign_id = crm_campaign_responses.campaign_id
            and map_activities.event_type = crm_campaign_responses.event_type
            and map_activities.activity_date = crm_campaign_responses.activity_date
    group by map_activities.activity_id

),

-- An activity can only be a copy under one rule (web copies have no campaign, campaign copies are
-- not web activities), but take the web rule first should both ever match.
copies as (

    select * from copies_of_web_page_views
    union all
    select
        copies_of_campaign_responses.activity_id,
        copies_of_campaign_responses.copy_rule,
        copies_of_campaign_responses.copy_of_activity_id
    from copies_of_campaign_responses
    left join copies_of_web_page_views
        on copies_of_campaign_responses.activity_id = copies_of_web_page_views.activity_id
    where copies_of_web_page_views.activity_id is null

)

select
    activities.activity_id,
    activities.person_id,
    activities.source_system,
    activities.source_object,
    activities.source_record_id,
    activities.source_activity_type,
    activities.event_type,
    activities.activity_at,
    activities.activity_date,
    activities.direction,
    activities.channel,
    activities.campaign_id,
    activities.attribute,
    activities.loaded_at,
    copies.copy_of_activity_id,
    copies.copy_rule
from activities
left join copies
    on activities.activity_id = copies.activity_id

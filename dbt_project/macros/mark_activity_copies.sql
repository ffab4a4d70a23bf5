{#
    The classified activities of `activities` (shaped like classify_activities' output) with the
    Marketo ones that are a second recording of a touch another system owns marked, so that one
    human action is one row: copy_of_activity_id (the kept record) and copy_rule are null for the
    rows that stand. Only events of a known person that are not deleted take part.

    * web page views: Marketo's Munchkin logs a "Visit Webpage" for the same page load the web
      analytics tool records. A Marketo web activity is a copy when the same person has a web page
      view of the same event type on the same URL (query string ignored: Marketo keeps it apart)
      within `tolerance_seconds` of it. The web page view is kept.
    * campaign responses: Marketo's form fills and webinar attendances on a CRM campaign are also
      written to the CRM as campaign member statuses (Registered, Attended, Responded). A Marketo
      activity is a copy when the same person has a CRM campaign member of the same campaign with
      the same event type on the same day (the CRM keeps only the response date). The CRM member
      is kept.

    Set-based: two equi-joins on the person; no window over the activities. Every match is within
    one person, so a caller that passes all of a person's activities gets that person's answer.
#}
{% macro mark_activity_copies(activities, tolerance_seconds) -%}
    with

    events as (

        select *
        from {{ activities }}
        where person_id is not null and event_type is not null and not is_deleted

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
        from events
        where source_system = 'map'

    ),

    web_page_views as (

        select
            activity_id,
            person_id,
            event_type,
            {{ dbt.split_part('attribute', "'?'", 1) }} as page_url,
            activity_at
        from events
        where source_system = 'web'

    ),

    crm_campaign_responses as (

        select
            activity_id,
            person_id,
            event_type,
            campaign_id,
            activity_date
        from events
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

    -- An activity can only be a copy under one rule (web copies have no campaign, campaign copies
    -- are not web activities), but take the web rule first should both ever match.
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
        {{ activities }}.*,
        copies.copy_of_activity_id,
        copies.copy_rule
    from {{ activities }}
    left join copies
        on {{ activities }}.activity_id = copies.activity_id
{%- endmacro %}

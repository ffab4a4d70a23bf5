{#
    Every touch from every source in one shape, with the person behind it resolved through the
    identity bridge: Marketo activities (by their Marketo lead), web page views (by their cookie,
    when the cookie identified itself), CRM tasks (WhoId is a lead or a contact) and CRM campaign
    members (by their contact, else their lead). One row per source record; person_id is null when
    no person is known (anonymous cookies), so that what is left out can be counted downstream.
    Deleted tasks and campaign members are kept, flagged is_deleted: a task deleted after it was
    loaded must replace its earlier row in the incremental int_activities_resolved.

    `batch` none: every source record (the view int_activities_unioned). Otherwise only the records
    a daily build of int_activities_resolved recomputes, filtered in each source's own scan on its
    own columns (a filter on the unioned activity_id could not reach the scans, and the daily build
    resolved every record of history to keep a few thousand):
      * `everything` (optional): a SQL boolean; every record when true (a reclassification);
      * `loaded_after`: a SQL timestamp; records loaded after it;
      * `activity_keys` (optional): a CTE of (source_system, source_object, source_record_id) of
        activities to recompute;
      * `person_records` (optional): a CTE of the same shape of person records (a Marketo lead, a
        cookie, a CRM lead or contact) whose identity changed: their activities are recomputed,
        those that had no person yet included (a cookie that has just identified itself).
#}
{% macro activities_unioned(batch=none) -%}
    with

    bridge as (

        select
            source_system,
            source_object,
            source_record_id,
            person_id
        from {{ ref('bridge_person_records') }}

    ),

    map_activities as (

        select
            'map' as source_system,
            'activity' as source_object,
            activities.activity_id as source_record_id,
            activities.activity_type_id as source_activity_type,
            activities.activity_at,
            activities.campaign_id,
            activities.primary_attribute_value as primary_attribute,
            bridge.person_id,
            false as is_deleted,
            activities._loaded_at as loaded_at
        from {{ ref('stg_map__activities') }} as activities
        left join bridge
            on
                bridge.source_system = 'map'
                and bridge.source_object = 'lead'
                and activities.map_lead_id = bridge.source_record_id
        {{ activity_batch_filter(batch, 'map', 'activity', 'activities.activity_id', 'activities._loaded_at',
            [('activities.map_lead_id', "'map'", "'lead'")]) }}

    ),

    web_page_views as (

        select
            'web' as source_system,
            'page_view' as source_object,
            page_views.page_view_id as source_record_id,
            'page_view' as source_activity_type,
            page_views.viewed_at as activity_at,
            cast(null as {{ dbt.type_string() }}) as campaign_id,
            page_views.url as primary_attribute,
            bridge.person_id,
            false as is_deleted,
            page_views._loaded_at as loaded_at
        from {{ ref('stg_web__page_views') }} as page_views
        left join bridge
            on
                bridge.source_system = 'web'
                and bridge.source_object = 'visitor'
                and page_views.visitor_id = bridge.source_record_id
        {{ activity_batch_filter(batch, 'web', 'page_view', 'page_views.page_view_id', 'page_views._loaded_at',
            [('page_views.visitor_id', "'web'", "'visitor'")]) }}

    ),

    -- A task logs the day it happened (ActivityDate); the creation instant is used when the task
    -- was logged that same day, which is the usual case, else the day itself at midnight.
    crm_tasks as (

        select
            'crm' as source_system,
            'task' as source_object,
            task_records.task_id as source_record_id,
            'task.' || task_records.task_type as source_activity_type,
            case
                when task_records.activity_date is null then task_records.created_at
                when cast(task_records.created_at as date) = task_records.activity_date
                    then task_records.created_at
                else cast(task_records.activity_date as {{ dbt.type_timestamp() }})
            end as activity_at,
            cast(null as {{ dbt.type_string() }}) as campaign_id,
            task_records.subject as primary_attribute,
            bridge.person_id,
            task_records.is_deleted,
            task_records._loaded_at as loaded_at
        from {{ ref('stg_crm__tasks') }} as task_records
        -- Salesforce ids are unique across objects, so a WhoId matches a lead or a contact, never
        -- both.
        left join bridge
            on
                bridge.source_system = 'crm'
                and bridge.source_object in ('lead', 'contact')
                and task_records.who_id = bridge.source_record_id
        {{ activity_batch_filter(batch, 'crm', 'task', 'task_records.task_id', 'task_records._loaded_at',
            [('task_records.who_id', "'crm'", "'lead', 'contact'")]) }}

    ),

    -- A member's touch is its response (FirstRespondedDate, a date: the creation instant when the
    -- member was created that day, else the day at midnight); a member that never responded (sent,
    -- registered, no show) is dated by its creation.
    crm_campaign_members as (

        select
            'crm' as source_system,
            'campaign_member' as source_object,
            members.campaign_member_id as source_record_id,
            'campaign_member.' || campaigns.campaign_type as source_activity_type,
            case
                when not members.has_responded or members.first_responded_date is null
                    then members.created_at
                when cast(members.created_at as date) = members.first_responded_date
                    then members.created_at
                else cast(members.first_responded_date as {{ dbt.type_timestamp() }})
            end as activity_at,
            members.campaign_id,
            members.member_status as primary_attribute,
            coalesce(contact_bridge.person_id, lead_bridge.person_id) as person_id,
            members.is_deleted,
            members._loaded_at as loaded_at
        from {{ ref('stg_crm__campaign_members') }} as members
        left join {{ ref('stg_crm__campaigns') }} as campaigns
            on members.campaign_id = campaigns.campaign_id
        left join bridge as contact_bridge
            on
                contact_bridge.source_system = 'crm'
                and contact_bridge.source_object = 'contact'
                and members.contact_id = contact_bridge.source_record_id
        left join bridge as lead_bridge
            on
                lead_bridge.source_system = 'crm'
                and lead_bridge.source_object = 'lead'
                and members.lead_id = lead_bridge.source_record_id
        {{ activity_batch_filter(batch, 'crm', 'campaign_member', 'members.campaign_member_id',
            'members._loaded_at',
            [('members.contact_id', "'crm'", "'contact'"), ('members.lead_id', "'crm'", "'lead'")]) }}

    ),

    unioned as (

        select * from map_activities
        union all
        select * from web_page_views
        union all
        select * from crm_tasks
        union all
        select * from crm_campaign_members

    ),

    keyed as (

        select
            *,
            cast(activity_at as date) as activity_date,
            source_system || ':' || source_object || ':' || source_record_id as activity_id
        from unioned

    )

    select
        activity_id,
        person_id,
        source_system,
        source_object,
        source_record_id,
        source_activity_type,
        activity_at,
        activity_date,
        campaign_id,
        primary_attribute as attribute, -- noqa: RF04
        is_deleted,
        loaded_at
    from keyed
{%- endmacro %}


{#
    The where-clause of one source's scan in activities_unioned (nothing when `batch` is none):
    every record when batch.everything; records loaded after batch.loaded_after; those among
    batch.activity_keys; and those linked through `person_links` (a list of (column, source_system
    literal, source_object literals)) to a record among batch.person_records.
#}
{% macro activity_batch_filter(
    batch, source_system, source_object, id_column, loaded_at_column, person_links
) -%}
    {%- if batch is not none -%}
    where
        {{ loaded_at_column }} > {{ batch.loaded_after }}
        {% if batch.everything %}
        or {{ batch.everything }}
        {% endif %}
        {% if batch.activity_keys %}
        or {{ id_column }} in (
            select keys.source_record_id
            from {{ batch.activity_keys }} as keys
            where keys.source_system = '{{ source_system }}' and keys.source_object = '{{ source_object }}'
        )
        {% endif %}
        {% if batch.person_records %}
            {% for column, record_system, record_objects in person_links %}
        or {{ column }} in (
            select records.source_record_id
            from {{ batch.person_records }} as records
            where
                records.source_system = {{ record_system }}
                and records.source_object in ({{ record_objects }})
        )
            {% endfor %}
        {% endif %}
    {% endif %}
{%- endmacro %}

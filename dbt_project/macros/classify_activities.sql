{#
    The activities of `activities` (a CTE or relation shaped like int_activities_unioned) with their
    canonical event type, direction and channel from the activity_taxonomy seed: the rows of their
    source system and activity type whose attribute_pattern the lower-cased attribute is LIKE, the
    lowest priority winning. Every input row is returned; event_type is null for an activity that
    is not an event (no taxonomy row matches: a newsletter send logged as a campaign member, a
    webinar no-show) and for identity events (Marketo lead merges are record-keeping).

    Patterns are matched once per distinct (system, type, attribute) value, not once per activity:
    a few thousand URLs, form and email names stand behind millions of activities.
#}
{% macro classify_activities(activities) -%}
    with

    taxonomy as (

        select
            source_system,
            source_activity_type,
            attribute_pattern,
            priority,
            canonical_event_type,
            direction,
            channel
        from {{ ref('activity_taxonomy') }}

    ),

    event_types as (

        select
            event_type,
            category,
            is_engagement
        from {{ ref('canonical_event_types') }}

    ),

    attribute_values as (

        select distinct
            source_system,
            source_activity_type,
            coalesce(lower(attribute), '') as attribute_key
        from {{ activities }}

    ),

    best_priority as (

        select
            attribute_values.source_system,
            attribute_values.source_activity_type,
            attribute_values.attribute_key,
            min(taxonomy.priority) as priority
        from attribute_values
        inner join taxonomy
            on
                attribute_values.source_system = taxonomy.source_system
                and attribute_values.source_activity_type = taxonomy.source_activity_type
                and attribute_values.attribute_key like taxonomy.attribute_pattern
        group by
            attribute_values.source_system,
            attribute_values.source_activity_type,
            attribute_values.attribute_key

    ),

    -- (source_system, source_activity_type, priority) is unique in the seed (tested there), so
    -- each attribute value joins exactly one taxonomy row.
    value_types as (

        select
            best_priority.source_system,
            best_priority.source_activity_type,
            best_priority.attribute_key,
            taxonomy.canonical_event_type as event_type,
            taxonomy.direction,
            taxonomy.channel,
            event_types.is_engagement
        from best_priority
        inner join taxonomy
            on
                best_priority.source_system = taxonomy.source_system
                and best_priority.source_activity_type = taxonomy.source_activity_type
                and best_priority.priority = taxonomy.priority
        inner join event_types
            on taxonomy.canonical_event_type = event_types.event_type
        where event_types.category != 'identity'

    )

    select
        {{ activities }}.*,
        value_types.event_type,
        value_types.direction,
        value_types.channel,
        value_types.is_engagement
    from {{ activities }}
    left join value_types
        on
            {{ activities }}.source_system = value_types.source_system
            and {{ activities }}.source_activity_type = value_types.source_activity_type
            and coalesce(lower({{ activities }}.attribute), '') = value_types.attribute_key
{%- endmacro %}

{#
    int_account_person_week_touches counts each person's touches per account, week, event type and
    direction once, with the interest points they earned, and on a daily run counts again only the
    people whose touches can have changed since its last build. Each row keeps the build's
    watermarks: resolved_through, the newest resolved_at of int_activities_resolved then, and
    as_of_date, the scoring date then; and the fingerprint of the interest rules its points follow.

    touch_persons_to_recount(): a query of person_id, the people to count again
    (persons_to_recount, macros/persons_to_recount.sql):
      * every person of an activity int_activities_resolved has (re)computed since resolved_through:
        new loads, copies, reclassification, and people identity resolution changed (it recomputes
        their activities under their new person and their old one);
      * every person a person record changed since resolved_through belongs or belonged to
        (int_person_record_versions): a person whose activities all moved to another has none left
        in int_activities_resolved to be found by;
      * every person of an activity dated after the last build's scoring date (the newest as_of_date
        here) and on or before this one's, since touches count up to the scoring date;
      * everyone, when the scoring date has moved back (the `as_of` var, to re-score history), or
        when the interest rules of model 'core' changed (touch_points_fingerprint(): a row holds
        another one).
      The first and third are found in one scan of int_activities_resolved. An empty table has no
      watermarks: everyone is counted.
    A person not named keeps rows that are the count as of the newest as_of_date: none of their
    activities changed, and none is dated after that date and on or before the new one.

    The people are found once per build, before anything is deleted:

    recount_touch_persons(): the pre-hook: on an incremental run, keeps touch_persons_to_recount()
    and deletes their rows (refresh_keys, macros/refreshed_keys.sql).

    touch_persons_to_count(relation_alias): a where-clause condition on a relation with person_id:
    on an incremental run, the person is one of them; always true on a full build.
#}
{% macro touch_persons_to_recount() -%}
    {{- persons_to_recount(
        '(select count(*) > 0 from ' ~ this ~ ' where points_fingerprint <> ' ~ touch_points_fingerprint() ~ ')'
    ) -}}
{%- endmacro %}

{% macro recount_touch_persons() -%}
    {{- refresh_keys('persons_recounted', ['person_id'], touch_persons_to_recount()) -}}
{%- endmacro %}

{% macro touch_persons_to_count(relation_alias) -%}
    {{- key_is_refreshed('persons_recounted', ['person_id'], relation_alias) -}}
{%- endmacro %}

{#
    touch_points_fingerprint(): an SQL expression, a hash of model 'core''s interest rules, which the
    touches' earned points follow. Each row keeps the one of its build; a build that finds another
    one counts everyone again.

    interest_cap_setting(): an SQL expression over an interest_rules row aliased `rules`: its event
    type, points, cap and cap window, what a capped event's points follow (the touches' earned
    points here, the kept capped interest in macros/interest_events_kept.sql).
#}
{% macro touch_points_fingerprint() -%}
    (
        select {{ dbt.hash(ordered_list('settings.setting', "'; '", 'settings.setting')) }}
        from (
            select {{ interest_cap_setting() }} as setting
            from {{ ref('interest_rules') }} as rules
            where rules.model_id = 'core'
        ) as settings
    )
{%- endmacro %}

{% macro interest_cap_setting() -%}
    {{ dbt.concat([
        'rules.event_type',
        "'|'", dbt.cast('rules.points', dbt.type_string()),
        "'|'", "coalesce(" ~ dbt.cast('rules.cap_points', dbt.type_string()) ~ ", '')",
        "'|'", "coalesce(" ~ dbt.cast('rules.cap_window_days', dbt.type_string()) ~ ", '')"
    ]) }}
{%- endmacro %}

{#
    The people whose activity-shaped rows can have changed since an incremental table's last build,
    shared by the tables that a daily build computes again per person and otherwise keep
    (int_account_person_week_touches, int_interest_events_capped). Each such table stamps every
    row with its build's watermarks: resolved_through, the newest resolved_at of
    int_activities_resolved then, and as_of_date, the scoring date then.

    persons_to_recount(rules_changed, also_persons): a query of person_id:
      * every person of an activity int_activities_resolved has (re)computed since resolved_through:
        new loads, copies, reclassification, and people identity resolution changed (it recomputes
        their activities under their new person and their old one);
      * every person a person record changed since resolved_through belongs or belonged to
        (int_person_record_versions): a person whose activities all moved to another has none left
        in int_activities_resolved to be found by;
      * every person of an activity dated after the last build's scoring date (the newest as_of_date
        of the table) and on or before this one's, since the tables count activities up to the
        scoring date;
      * every person of any activity, when the scoring date has moved back (the `as_of` var, to
        re-score history), or when `rules_changed` (an SQL boolean expression, such as "a row holds
        another rules fingerprint than this build's") is true;
      * the people of `also_persons`, when given: a query of person_id that may read the CTEs
        `last_count` (resolved_through, as_of_date: the table's watermarks) and `recount_everyone`
        (one row, recount_everyone: the scoring date moved back or the rules changed).
      The first, third and fourth are found in one scan of int_activities_resolved. An empty table
      has no watermarks: every person of an activity is named.
    A person not named keeps rows computed as of the newest as_of_date: none of their activities
    changed, and none is dated after that date and on or before the new one.
#}
{% macro persons_to_recount(rules_changed, also_persons=none) -%}
    with

    -- an empty table has no watermark: every resolved activity is after 1900
    last_count as (

        select
            coalesce(
                max(resolved_through), cast('1900-01-01' as {{ dbt.type_timestamp() }})
            ) as resolved_through,
            max(as_of_date) as as_of_date
        from {{ this }}

    ),

    scoring_date as (

        select as_of_date from {{ ref('int_scoring_as_of') }}

    ),

    recount_everyone as (

        select
            coalesce(scoring_date.as_of_date < last_count.as_of_date, false)
            or ({{ rules_changed }}) as recount_everyone
        from scoring_date
        cross join last_count

    ),

    changed_records as (

        {{ person_records_changed_after('(select last_count.resolved_through from last_count)') }}

    )

    select resolved.person_id
    from {{ ref('int_activities_resolved') }} as resolved
    cross join last_count
    cross join scoring_date
    cross join recount_everyone
    where
        resolved.person_id is not null
        and (
            resolved.resolved_at > last_count.resolved_through
            or recount_everyone.recount_everyone
            or (
                resolved.activity_date > last_count.as_of_date
                and resolved.activity_date <= scoring_date.as_of_date
            )
        )

    union

    {{ persons_of_person_records('changed_records') }}

    {% if also_persons is not none %}
        union

        {{ also_persons }}
    {% endif %}
{%- endmacro %}

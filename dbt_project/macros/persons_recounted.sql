{#
    Person-keyed history tables that a daily build computes again only for the people whose rows
    can have changed since its last build, keeping everyone else's rows:
    int_account_person_week_touches (touches per account, week, event type and direction) and
    int_interest_events_capped (each event's capped interest points). Each row keeps its build's
    watermarks: resolved_through, the newest resolved_at of int_activities_resolved then, and
    as_of_date, the scoring date then. Both tables read activities up to the scoring date.

    persons_to_recount(recount_everyone): a query of person_id, the people to compute again:
      * every person of an activity int_activities_resolved has (re)computed since resolved_through:
        new loads, copies, reclassification, and people identity resolution changed (it recomputes
        their activities under their new person and their old one);
      * every person a person record changed since resolved_through belongs or belonged to
        (int_person_record_versions): a person whose activities all moved to another has none left
        in int_activities_resolved to be found by;
      * every person of an activity dated after the last build's scoring date (the newest as_of_date
        here) and on or before this one's, since the tables count activities up to the scoring date;
      * everyone, when the scoring date has moved back (the `as_of` var, to re-score history), or
        when `recount_everyone`, a SQL condition of the model's (its rules changed), is true.
      The first and third are found in one scan of int_activities_resolved. An empty table has no
      watermarks: everyone is counted.
    A person not named keeps rows computed as of the newest as_of_date: none of their activities
    changed, and none is dated after that date and on or before the new one.

    The people are found once per build, before anything is deleted:

    recount_persons(recount_everyone, also_delete): the pre-hook. On an incremental run, keeps
    persons_to_recount() in a temporary table (persons_recounted(), on the model's connection), then
    deletes their rows, and the rows `also_delete` (a condition on the table's rows, such as "too
    old to count") names. It runs in the model's transaction, so a failed build leaves the table as
    it was.

    person_is_recounted(relation_alias): a where-clause condition on a relation with person_id: on
    an incremental run, the person is in that temporary table; always true on a full build.
#}
{% macro persons_to_recount(recount_everyone='false') -%}
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

    changed_records as (

        {{ person_records_changed_after('(select last_count.resolved_through from last_count)') }}

    )

    select resolved.person_id
    from {{ ref('int_activities_resolved') }} as resolved
    cross join last_count
    cross join scoring_date
    where
        resolved.person_id is not null
        and (
            resolved.resolved_at > last_count.resolved_through
            or scoring_date.as_of_date < last_count.as_of_date
            or ({{ recount_everyone }})
            or (
                resolved.activity_date > last_count.as_of_date
                and resolved.activity_date <= scoring_date.as_of_date
            )
        )

    union

    {{ persons_of_person_records('changed_records') }}
{%- endmacro %}

{% macro persons_recounted() -%}
    {{- return(api.Relation.create(identifier=this.identifier ~ '__persons_recounted', type='table')) -}}
{%- endmacro %}

{% macro recount_persons(recount_everyone='false', also_delete='false') -%}
    {%- if is_incremental() -%}
        create or replace temporary table {{ persons_recounted() }} as
        {{ persons_to_recount(recount_everyone) }};

        delete from {{ this }}
        where
            person_id in (select recounted.person_id from {{ persons_recounted() }} as recounted)
            or ({{ also_delete }})
    {%- endif -%}
{%- endmacro %}

{% macro person_is_recounted(relation_alias) -%}
    {%- if is_incremental() -%}
        {{ relation_alias }}.person_id in (
            select recounted.person_id from {{ persons_recounted() }} as recounted
        )
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

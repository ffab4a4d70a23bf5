-- Every activity record of every source with its person, that person's account, its canonical
-- event type (classify_activities) and, for Marketo's second recordings of a touch another system
-- owns, the record it copies (mark_activity_copies). Rows that fct_activities leaves out stay
-- here with the reason visible (no person, not an event, a copy, deleted), so that
-- rpt_activity_reconciliation can count them and a later change can bring them back.
--
-- Incremental: a daily build recomputes only the activities whose answer can have changed since
-- the last build, and replaces them by activity_id:
--   * the activities loaded since (loaded_at after the newest loaded_at already here);
--   * every activity of the people those belong to (a new web page view can make a person's older
--     Marketo visit a copy, and copies are matched within one person);
--   * every activity of the people identity resolution changed since the last build (versions of
--     int_person_record_versions after the newest resolved_at here: a record moved to another
--     person, a person to another account, a record dropped), under both the old and the new
--     person, and every activity of a changed person record (a cookie that has just identified
--     itself had no person);
--   * all of them when the classification itself changed (the activity_taxonomy or
--     canonical_event_types seed, or the copy tolerance var): the fingerprint of the three is kept
--     on every row.
-- The result is the full build's, row for row (tests/e2e/test_incremental.py).

-- The daily build reads the sources through activities_unioned with a batch: each source's scan
-- keeps its own recomputed records, by its own id, load time and person-record link, before any
-- join (a filter on the unioned activity_id reaches no scan: every record of history was resolved
-- to keep a few thousand).

-- depends_on: {{ ref('int_person_record_versions') }}
-- depends_on: {{ ref('bridge_person_records') }}
-- depends_on: {{ ref('stg_map__activities') }}
-- depends_on: {{ ref('stg_web__page_views') }}
-- depends_on: {{ ref('stg_crm__tasks') }}
-- depends_on: {{ ref('stg_crm__campaign_members') }}
-- depends_on: {{ ref('stg_crm__campaigns') }}

{{
    config(
        materialized='incremental',
        unique_key='activity_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

{% set tolerance_seconds = var('activity_copy_tolerance_seconds') %}

{#- A full build's batch is every activity (62M rows on the large preset), and the CTEs below are read
    several times each: DuckDB would hold each one whole, spilling to disk, and read it back at
    every use (docs/decisions.md, "The activity fact's full build scans its sources again"). There
    they are declared not materialized, so that each use scans the sources again with its own
    filters and columns. A daily batch is small and found through this table: it is held once. -#}
{% set inline_on_full_build = '' if is_incremental() else not_materialized() %}

with

classification_fingerprint as (

    select
        md5(
            coalesce(
                (
                    select
                        {{ ordered_list(
                            "source_system || '|' || source_activity_type || '|' || attribute_pattern || '|'"
                            ~ " || cast(priority as " ~ dbt.type_string() ~ ") || '|' || canonical_event_type"
                            ~ " || '|' || direction || '|' || channel",
                            "';'",
                            "source_system, source_activity_type, priority"
                        ) }}
                    from {{ ref('activity_taxonomy') }}
                ),
                ''
            )
            || '#'
            || coalesce(
                (
                    select
                        {{ ordered_list(
                            "event_type || '|' || category || '|' || cast(is_engagement as " ~ dbt.type_string() ~ ")",
                            "';'",
                            "event_type"
                        ) }}
                    from {{ ref('canonical_event_types') }}
                ),
                ''
            )
            || '#{{ tolerance_seconds }}'
        ) as fingerprint

),

{% if is_incremental() %}

    last_build as (

        select
            coalesce(
                max(loaded_at), cast('1900-01-01' as {{ dbt.type_timestamp() }})
            ) as loaded_through,
            -- identity versions are written before this model in every run, so those after its
            -- last build are the ones it has not seen (not those after its last load: the first
            -- build's versions are all later than its loads)
            coalesce(
                max(resolved_at), cast('1900-01-01' as {{ dbt.type_timestamp() }})
            ) as resolved_through,
            max(classification_fingerprint) as classification_fingerprint
        from {{ this }}

    ),

    -- an empty table (nothing built yet) counts as changed: everything is computed
    is_reclassified as (

        select
            coalesce(
                last_build.classification_fingerprint != classification_fingerprint.fingerprint, true
            ) as flag
        from last_build
        cross join classification_fingerprint

    ),

    new_activities as (

        {{ activities_unioned({'loaded_after': '(select last_build.loaded_through from last_build)'}) }}

    ),

    changed_records as (

        {{ person_records_changed_after('(select last_build.resolved_through from last_build)') }}

    ),

    affected_persons as (

        select new_activities.person_id
        from new_activities
        where new_activities.person_id is not null

        union

        -- every person a changed record belongs or belonged to
        {{ persons_of_person_records('changed_records') }}

    ),

    -- Every activity already built is here with the person it had, so the activities of the affected
    -- people (under the old person when identity moved them) are found in this table; the sources
    -- are then read for these, the new loads and the activities of the changed person records (a
    -- cookie that has just identified itself had no person here).
    recomputed_keys as (

        select
            resolved.source_system,
            resolved.source_object,
            resolved.source_record_id
        from {{ this }} as resolved
        inner join affected_persons
            on resolved.person_id = affected_persons.person_id

    ),

    batch as (

        {{ activities_unioned({
            'everything': '(select is_reclassified.flag from is_reclassified)',
            'loaded_after': '(select last_build.loaded_through from last_build)',
            'activity_keys': 'recomputed_keys',
            'person_records': 'changed_records'
        }) }}

    ),

{% else %}

    batch as {{ not_materialized() }} (

        select * from {{ ref('int_activities_unioned') }}

    ),

{% endif %}

classified as {{ inline_on_full_build }} (

    {{ classify_activities('batch') }}

),

deduplicated as (

    {{ mark_activity_copies('classified', tolerance_seconds) }}

),

-- The person's account is looked up last, once per activity. Joined before the classification, it
-- was in each of the four reads of the classified activities that finding copies makes, and with
-- the row estimate the taxonomy join leaves (a few hundred thousand) DuckDB hashed the tens of
-- millions of activities to probe the accounts: over its memory limit on the large preset.
accounts as (

    select
        person_id,
        account_id
    from {{ ref('dim_persons') }}

)

select
    deduplicated.activity_id,
    deduplicated.person_id,
    accounts.account_id,
    deduplicated.source_system,
    deduplicated.source_object,
    deduplicated.source_record_id,
    deduplicated.source_activity_type,
    deduplicated.event_type,
    deduplicated.activity_at,
    deduplicated.activity_date,
    deduplicated.direction,
    deduplicated.channel,
    deduplicated.campaign_id,
    deduplicated.attribute,
    deduplicated.is_engagement,
    deduplicated.is_deleted,
    deduplicated.copy_of_activity_id,
    deduplicated.copy_rule,
    deduplicated.loaded_at,
    classification_fingerprint.fingerprint as classification_fingerprint,
    {{ run_started_timestamp() }} as resolved_at
from deduplicated
left join accounts
    on deduplicated.person_id = accounts.person_id
cross join classification_fingerprint

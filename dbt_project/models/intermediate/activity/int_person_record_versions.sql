-- Every version of the person (and that person's account) each source person record belonged to:
-- one row per record when first seen, and one more each time identity resolution moves it to
-- another person, its person to another account, or drops it (person_id null, is_removed). An
-- incremental model reads the versions changed_at after its last build to find the people whose
-- activities it must recompute (int_activities_resolved). Append-only: a full refresh starts the
-- history again from the current bridge.

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail'
    )
}}

with

current_records as (

    select
        bridge.source_system,
        bridge.source_object,
        bridge.source_record_id,
        bridge.person_id,
        persons.account_id
    from {{ ref('bridge_person_records') }} as bridge
    left join {{ ref('dim_persons') }} as persons
        on bridge.person_id = persons.person_id

),

{% if is_incremental() %}

    latest_versions as (

        select *
        from (
            select
                *,
                row_number() over (
                    partition by source_system, source_object, source_record_id
                    order by changed_at desc
                ) as version_rank
            from {{ this }}
        ) as versions
        where version_rank = 1

    ),

    -- One full join of the current records with their latest versions: a record is recorded again
    -- when it is new, came back, moved to another person or account, or left the bridge.
    changes as (

        select
            current_records.person_id,
            current_records.account_id,
            coalesce(current_records.source_system, latest_versions.source_system) as source_system,
            coalesce(current_records.source_object, latest_versions.source_object) as source_object,
            coalesce(current_records.source_record_id, latest_versions.source_record_id) as source_record_id,
            current_records.source_record_id is null as is_removed
        from current_records
        full outer join latest_versions
            on
                current_records.source_system = latest_versions.source_system
                and current_records.source_object = latest_versions.source_object
                and current_records.source_record_id = latest_versions.source_record_id
        where
            (current_records.source_record_id is null and not latest_versions.is_removed)
            or (
                current_records.source_record_id is not null
                and (
                    latest_versions.source_record_id is null
                    or latest_versions.is_removed
                    or current_records.person_id is distinct from latest_versions.person_id
                    or current_records.account_id is distinct from latest_versions.account_id
                )
            )

    )

{% else %}

    changes as (

        select
            source_system,
            source_object,
            source_record_id,
            person_id,
            account_id,
            false as is_removed
        from current_records

    )

{% endif %}

select
    source_system,
    source_object,
    source_record_id,
    person_id,
    account_id,
    is_removed,
    {{ run_started_timestamp() }} as changed_at
from changes

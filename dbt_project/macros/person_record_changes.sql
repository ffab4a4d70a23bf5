{#
    Identity changes, for the incremental models that recompute what a change touches
    (int_activities_resolved, int_account_person_week_touches). int_person_record_versions appends
    a version whenever identity resolution moves a source person record to another person, its
    person to another account, or drops it.

    person_records_changed_after(moment): a query of the records (source_system, source_object,
    source_record_id) with a version changed after `moment` (an SQL timestamp expression).

    persons_of_person_records(records): a query of person_id, every person any version of the
    `records` (a relation or CTE with the three key columns) belongs or belonged to: under the old
    person and the new one when a record moved.
#}
{% macro person_records_changed_after(moment) -%}
    select distinct
        versions.source_system,
        versions.source_object,
        versions.source_record_id
    from {{ ref('int_person_record_versions') }} as versions
    where versions.changed_at > {{ moment }}
{%- endmacro %}

{% macro persons_of_person_records(records) -%}
    select versions.person_id
    from {{ ref('int_person_record_versions') }} as versions
    inner join {{ records }} as records
        on
            versions.source_system = records.source_system
            and versions.source_object = records.source_object
            and versions.source_record_id = records.source_record_id
    where versions.person_id is not null
{%- endmacro %}

-- The activity fact: every touch of every known person, once, in the canonical vocabulary, with
-- the person's account and whether the touch is the person's own engagement. Second recordings of
-- one touch, activities that are not events and deleted CRM records are left out (each counted in
-- rpt_activity_reconciliation).
--
-- A view over the incremental int_activities_resolved: the daily run recomputes only what changed
-- there, and this filter costs nothing to build.

{{ config(materialized='view') }}

select
    activity_id,
    person_id,
    account_id,
    source_system,
    source_object,
    source_activity_type,
    event_type,
    activity_at,
    activity_date,
    direction,
    channel,
    campaign_id,
    attribute,
    is_engagement
from {{ ref('int_activities_resolved') }}
where
    person_id is not null
    and event_type is not null
    and copy_of_activity_id is null
    and not is_deleted

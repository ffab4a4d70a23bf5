-- Every touch from every source in one shape, with the person behind it resolved through the
-- identity bridge (see the macro activities_unioned, which also gives int_activities_resolved's
-- daily build only the records it recomputes). One row per source record; person_id is null when
-- no person is known (anonymous cookies); deleted tasks and campaign members are kept, flagged.
--
-- A view: int_activities_resolved reads it once per full build.
{{ config(materialized='view') }}

{{ activities_unioned() }}

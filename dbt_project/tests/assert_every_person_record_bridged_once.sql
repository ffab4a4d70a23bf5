-- Every source human record appears in bridge_person_records exactly once. Counted straight from
-- staging (not from the identity models), so a record lost or doubled on the way is caught.

with

source_records as (

    select
        'crm' as source_system,
        'contact' as source_object,
        contact_id as source_record_id
    from {{ ref('stg_crm__contacts') }}
    union all
    select
        'crm' as source_system,
        'lead' as source_object,
        lead_id as source_record_id
    from {{ ref('stg_crm__leads') }}
    union all
    select
        'map' as source_system,
        'lead' as source_object,
        map_lead_id as source_record_id
    from {{ ref('stg_map__leads') }}
    union all
    select distinct
        'web' as source_system,
        'visitor' as source_object,
        visitor_id as source_record_id
    from {{ ref('stg_web__page_views') }}
    where email is not null

),

bridged as (

    select
        source_system,
        source_object,
        source_record_id,
        count(*) as times_bridged
    from {{ ref('bridge_person_records') }}
    group by source_system, source_object, source_record_id

)

select
    coalesce(source_records.source_system, bridged.source_system) as source_system,
    coalesce(source_records.source_object, bridged.source_object) as source_object,
    coalesce(source_records.source_record_id, bridged.source_record_id) as source_record_id,
    coalesce(bridged.times_bridged, 0) as times_bridged
from source_records
full outer join bridged
    on
        source_records.source_system = bridged.source_system
        and source_records.source_object = bridged.source_object
        and source_records.source_record_id = bridged.source_record_id
where source_records.source_record_id is null or coalesce(bridged.times_bridged, 0) != 1

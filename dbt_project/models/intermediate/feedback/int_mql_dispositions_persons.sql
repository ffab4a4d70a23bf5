-- Every sales disposition with the person it is about: the CRM lead or contact it names, through
-- the identity bridge (two equality joins, not one join on an OR, so it scales with the bridge). A
-- disposition naming both a lead and a contact of the same person is one row. Deleted ones are kept
-- and flagged; each reader decides.

with

dispositions as (

    select * from {{ ref('stg_crm__mql_dispositions') }}

),

crm_records as (

    select
        source_object,
        source_record_id,
        person_id
    from {{ ref('bridge_person_records') }}
    where source_system = 'crm' and source_object in ('lead', 'contact')

),

named_records as (

    select
        mql_disposition_id,
        'lead' as source_object,
        lead_id as source_record_id
    from dispositions
    where lead_id is not null
    union all
    select
        mql_disposition_id,
        'contact' as source_object,
        contact_id as source_record_id
    from dispositions
    where contact_id is not null

),

persons as (

    select distinct
        crm_records.person_id,
        named_records.mql_disposition_id
    from named_records
    inner join crm_records
        on
            named_records.source_object = crm_records.source_object
            and named_records.source_record_id = crm_records.source_record_id

)

select
    persons.person_id,
    dispositions.mql_disposition_id,
    dispositions.mql_date,
    dispositions.disposition_status,
    dispositions.rejection_reason,
    dispositions.disposition_date,
    dispositions.is_deleted
from persons
inner join dispositions on persons.mql_disposition_id = dispositions.mql_disposition_id

-- Which person each source human record belongs to, and the evidence that linked it.

select
    records.source_system,
    records.source_object,
    records.source_record_id,
    clustered.person_id,
    clustered.link_rule as rule,
    records.record_key
from {{ ref('int_person_records_unioned') }} as records
inner join {{ ref('int_person_records_clustered') }} as clustered
    on records.record_key = clustered.record_key

-- Evidence that two person records are the same human, one row per (record, record, rule).
-- Each rule is named so that every link can be explained and each rule's effect measured.
-- Shared-value rules (same email, ...) link every record to the group's smallest record key
-- instead of to every other record: the same components, a linear number of edges.

with

records as (

    select * from {{ ref('int_person_records_unioned') }}

),

crm_lead_converted as (

    select
        lead.record_key as from_record_key,
        'crm:contact:' || lead.converted_contact_id as to_record_key,
        'crm_lead_converted' as rule
    from records as lead
    where lead.source_system = 'crm' and lead.source_object = 'lead' and lead.converted_contact_id is not null

),

crm_master_record as (

    select
        merged.record_key as from_record_key,
        'crm:' || merged.source_object || ':' || merged.master_record_id as to_record_key,
        'crm_master_record' as rule
    from records as merged
    where merged.source_system = 'crm' and merged.master_record_id is not null

),

map_crm_contact as (

    select
        map_lead.record_key as from_record_key,
        'crm:contact:' || map_lead.linked_crm_contact_id as to_record_key,
        'map_crm_contact_id' as rule
    from records as map_lead
    where map_lead.source_system = 'map' and map_lead.linked_crm_contact_id is not null

),

map_crm_lead as (

    select
        map_lead.record_key as from_record_key,
        'crm:lead:' || map_lead.linked_crm_lead_id as to_record_key,
        'map_crm_lead_id' as rule
    from records as map_lead
    where map_lead.source_system = 'map' and map_lead.linked_crm_lead_id is not null

),

-- Marketo logs a merge on the surviving lead; the primary attribute is the merged lead's id.
map_lead_merge as (

    select
        'map:lead:' || map_lead_id as from_record_key,
        'map:lead:' || trim(primary_attribute_value) as to_record_key,
        'map_lead_merge' as rule
    from {{ ref('stg_map__activities') }}
    where activity_type_id = '32' and primary_attribute_value is not null

),

{% set shared_value_rules = [
    ('same_email', 'email', 'true'),
    ('same_email_folded_domain', 'email_folded', 'true'),
] %}
{% if var('identity_fuzzy_name_match') %}
    {% do shared_value_rules.append(
        ('same_name_business_domain', "full_name_key || '@' || email_domain", 'not is_personal_email')
    ) %}
{% endif %}

{% for rule, value, condition in shared_value_rules %}
    {{ rule }} as (

        select
            record_key as from_record_key,
            min(record_key) over (partition by {{ value }}) as to_record_key,
            '{{ rule }}' as rule
        from records
        where {{ value }} is not null and {{ condition }}

    ),
{% endfor %}

-- The id links only where both records exist (a CRM id may point to a record not in the extract).
linked_edges as (

    select distinct
        candidate_edges.from_record_key,
        candidate_edges.to_record_key,
        candidate_edges.rule
    from (
        select * from crm_lead_converted
        union all
        select * from crm_master_record
        union all
        select * from map_crm_contact
        union all
        select * from map_crm_lead
        union all
        select * from map_lead_merge
    ) as candidate_edges
    inner join records as from_record on candidate_edges.from_record_key = from_record.record_key
    inner join records as to_record on candidate_edges.to_record_key = to_record.record_key

),

-- A shared-value rule links records to records, each record once per rule: no existence check
-- and no duplicate to remove (on large that check was 2.4M-row joins for 3.5M edges).
edges as (

    select * from linked_edges
    where from_record_key != to_record_key
    {% for rule, value, condition in shared_value_rules %}
        union all
        select * from {{ rule }}
        where from_record_key != to_record_key
    {% endfor %}

)

select * from edges

-- One person per connected component of the person-record graph. The person_id is a hash of the
-- component's smallest record key, so it stays the same across runs while the evidence behind the
-- component does not change (no row numbers). Each record keeps the strongest rule that tied it in.
-- Incremental: a daily build clusters again only the components an edge or a record has joined or
-- left since its last build (the records whose edge signature changed, and every record of their
-- old person), and keeps every other record's row (macros/person_reclustering.sql).

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ recluster_person_records() }}",
        post_hook="{{ forget_refreshed_keys('records_reclustered') }}"
    )
}}

with

records as (

    select records.record_key as node_key
    from {{ ref('int_person_records_unioned') }} as records
    where {{ person_record_is_reclustered('records.record_key') }}

),

record_edges as (

    select
        edges.from_record_key,
        edges.to_record_key,
        edges.rule
    from {{ ref('int_person_record_edges') }} as edges
    where
        {{ person_record_is_reclustered('edges.from_record_key') }}
        and {{ person_record_is_reclustered('edges.to_record_key') }}

),

edges as (

    select
        from_record_key as from_key,
        to_record_key as to_key,
        rule
    from record_edges

),

components as (

    {{ connected_components('records', 'edges', var('identity_max_hops')) }}

),

rule_strength as (

    select
        rule,
        strength
    from {{ ref('identity_link_rules') }}

),

record_rules as (

    select
        edge_ends.record_key,
        edge_ends.rule,
        row_number() over (
            partition by edge_ends.record_key order by rule_strength.strength, edge_ends.rule
        ) as rule_rank
    from (
        select
            from_key as record_key,
            rule
        from edges
        union all
        select
            to_key as record_key,
            rule
        from edges
    ) as edge_ends
    inner join rule_strength on edge_ends.rule = rule_strength.rule

),

edge_signatures as (

    {{ person_record_edge_signatures('record_edges') }}

),

clustered as (

    select
        components.node_key as record_key,
        'per_' || {{ dbt.hash('components.component_key') }} as person_id,
        components.component_key as person_anchor_record_key,
        coalesce(record_rules.rule, 'no_match') as link_rule,
        coalesce(edge_signatures.edge_signature, {{ no_edge_signature() }}) as edge_signature,
        {{ person_clustering_fingerprint() }} as clustering_fingerprint,
        {{ run_started_timestamp() }} as refreshed_at
    from components
    left join record_rules
        on components.node_key = record_rules.record_key and record_rules.rule_rank = 1
    left join edge_signatures on components.node_key = edge_signatures.record_key

)

select * from clustered

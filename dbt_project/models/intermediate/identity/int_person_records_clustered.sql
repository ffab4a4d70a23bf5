-- One person per connected component of the person-record graph. The person_id is a hash of the
-- component's smallest record key, so it stays the same across runs while the evidence behind the
-- component does not change (no row numbers). Each record keeps the strongest rule that tied it in.

with

records as (

    select record_key as node_key from {{ ref('int_person_records_unioned') }}

),

edges as (

    select
        from_record_key as from_key,
        to_record_key as to_key,
        rule
    from {{ ref('int_person_record_edges') }}

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

clustered as (

    select
        components.node_key as record_key,
        'per_' || {{ dbt.hash('components.component_key') }} as person_id,
        components.component_key as person_anchor_record_key,
        coalesce(record_rules.rule, 'no_match') as link_rule
    from components
    left join record_rules
        on components.node_key = record_rules.record_key and record_rules.rule_rank = 1

)

select * from clustered

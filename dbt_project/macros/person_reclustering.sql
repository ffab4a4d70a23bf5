{#
    int_person_records_clustered keeps each person record's cluster, and on a daily run clusters
    again only the records whose component can have changed since its last build. A component
    changes only where an edge appears or disappears, or a record appears or is dropped. Each row
    keeps the record's edge_signature (a fingerprint of the record's edges: the direction, the
    other end and the rule of each) and clustering_fingerprint (the link rules' strengths and identity_max_hops).

    person_records_to_recluster(): a query of record_key, the records to cluster again:
      * every record whose edge signature now differs from its row's, or that has no row (new): an
        edge that appears or disappears changes the signature of both its ends;
      * every record with a row that int_person_records_unioned no longer holds (dropped);
      * with each of those, every record of the person its row belongs to: the old component, all
        of whose records may now be split apart, or joined to another;
      * every record, when the link rules' strengths or identity_max_hops changed (a row holds
        another clustering_fingerprint).
    This set is closed: an edge between a record in it and a record outside it either existed at
    the last build, when the two were in one component (so both are in), or is new, when both
    signatures changed (so both are in). The components of the set's records and edges are then
    exactly the full build's components of those records, and every other record keeps its row.
    A record's link_rule (its strongest edge's rule) changes only with its edges, so only with its
    signature. person_id derives from the component's smallest key (no row numbers), so a component
    computed alone gets the person_id the full build gives it.

    recluster_person_records(): the pre-hook: on an incremental run, keeps
    person_records_to_recluster() and deletes their rows (refresh_keys, macros/refreshed_keys.sql).

    person_record_is_reclustered(column): a where-clause condition on a record key column: on an
    incremental run, the record is one of them; always true on a full build.

    person_record_edge_signatures(edges): a query of record_key, edge_signature for every record at
    an end of `edges` (a relation or CTE with from_record_key, to_record_key, rule). A record without
    an edge has none: coalesce with no_edge_signature().
#}
{% macro person_records_to_recluster() -%}
    with

    records as (

        select record_key from {{ ref('int_person_records_unioned') }}

    ),

    current_signatures as (

        select
            records.record_key,
            coalesce(signatures.edge_signature, {{ no_edge_signature() }}) as edge_signature
        from records
        left join (
            {{ person_record_edge_signatures(ref('int_person_record_edges')) }}
        ) as signatures
            on records.record_key = signatures.record_key

    ),

    settings_changed as (

        select count(*) > 0 as settings_changed
        from {{ this }}
        where clustering_fingerprint <> {{ person_clustering_fingerprint() }}

    ),

    -- new (no row), dropped (no record), or with another signature; everyone when settings changed
    changed_records as (

        select coalesce(current_signatures.record_key, kept.record_key) as record_key
        from current_signatures
        full outer join {{ this }} as kept on current_signatures.record_key = kept.record_key
        cross join settings_changed
        where
            kept.record_key is null
            or current_signatures.record_key is null
            or kept.edge_signature <> current_signatures.edge_signature
            or settings_changed.settings_changed

    )

    select changed_records.record_key
    from changed_records

    union

    select kept.record_key
    from {{ this }} as kept
    inner join (
        select distinct changed_kept.person_id
        from {{ this }} as changed_kept
        inner join changed_records on changed_kept.record_key = changed_records.record_key
    ) as changed_persons
        on kept.person_id = changed_persons.person_id
{%- endmacro %}

{% macro recluster_person_records() -%}
    {{- refresh_keys('records_reclustered', ['record_key'], person_records_to_recluster()) -}}
{%- endmacro %}

{% macro person_record_is_reclustered(column) -%}
    {%- if is_incremental() -%}
        {{ column }} in (select record_key from {{ refreshed_keys('records_reclustered') }})
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{% macro person_record_edge_signatures(edges) -%}
    select
        edge_ends.record_key,
        {{ unordered_fingerprint(
            ['edge_ends.direction', 'edge_ends.other_record_key', 'edge_ends.rule']
        ) }} as edge_signature
    from (
        select
            from_record_key as record_key,
            'to' as direction,
            to_record_key as other_record_key,
            rule
        from {{ edges }}
        union all
        select
            to_record_key as record_key,
            'from' as direction,
            from_record_key as other_record_key,
            rule
        from {{ edges }}
    ) as edge_ends
    group by edge_ends.record_key
{%- endmacro %}

{% macro no_edge_signature() -%}
    'no edge'
{%- endmacro %}

{#
    person_clustering_fingerprint(): an SQL expression, a hash of what a record's cluster follows
    besides its edges: the link rules' strengths (link_rule) and identity_max_hops (the rounds).
#}
{% macro person_clustering_fingerprint() -%}
    (
        select {{ dbt.hash(dbt.concat([
            ordered_list("rules.rule || '=' || " ~ dbt.cast('rules.strength', dbt.type_string()), "';'", 'rules.rule'),
            "'|hops='",
            "'" ~ var('identity_max_hops') ~ "'"
        ])) }}
        from {{ ref('identity_link_rules') }} as rules
    )
{%- endmacro %}

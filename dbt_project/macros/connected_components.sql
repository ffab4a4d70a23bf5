{#
    Connected components of an undirected graph by min-label propagation, in plain SQL.

    nodes_relation has a `node_key` column, edges_relation `from_key` and `to_key`. Every node starts
    with its own key as label; each round a node takes the smallest label among itself and its
    neighbours. After `max_rounds` rounds every node of a component whose diameter is at most
    `max_rounds` carries the component's smallest key. Unrolled rounds (not a recursive CTE) keep
    it portable to engines without recursion; the `assert_components_converged` test catches a
    component that needed more rounds.

    The rounds run on integers, and only over the nodes that have an edge: each such node is
    numbered in the order of its key, so the smallest number of a component is its smallest key,
    and a node without an edge is its own component without taking part. On the large preset
    (2.4M person records, 3.5M edges, 8 rounds) this took the components from 13.0 s to
    8.4-9.3 s, the same rows (docs/decisions.md, "Connected components propagate integer labels").
    An edge whose end is not a node links nothing.

    Returns a select of (node_key, component_key).
#}
{% macro connected_components(nodes_relation, edges_relation, max_rounds) -%}
    with

    linked_nodes as (
        select from_key as node_key from {{ edges_relation }}
        union
        select to_key as node_key from {{ edges_relation }}
    ),

    numbered as (
        select
            nodes.node_key,
            row_number() over (order by nodes.node_key) as node_number
        from {{ nodes_relation }} as nodes
        inner join linked_nodes on nodes.node_key = linked_nodes.node_key
    ),

    numbered_edges as (
        select
            from_node.node_number as from_number,
            to_node.node_number as to_number
        from {{ edges_relation }} as edges
        inner join numbered as from_node on edges.from_key = from_node.node_key
        inner join numbered as to_node on edges.to_key = to_node.node_key
    ),

    -- every node is its own neighbour, so that each round reads the previous labels only once
    -- (a CTE read twice per round could be inlined twice, doubling the work every round)
    neighbours as (
        select from_number as node_number, to_number as neighbour_number from numbered_edges
        union all
        select to_number as node_number, from_number as neighbour_number from numbered_edges
        union all
        select node_number, node_number as neighbour_number from numbered
    ),

    labels_0 as (
        select node_number, node_number as label from numbered
    ),

    {% for round in range(1, max_rounds + 1) %}
    labels_{{ round }} as (
        select
            neighbours.node_number,
            min(previous.label) as label
        from neighbours
        inner join labels_{{ round - 1 }} as previous
            on neighbours.neighbour_number = previous.node_number
        group by neighbours.node_number
    ),
    {% endfor %}

    linked_components as (
        select
            node.node_key,
            anchor.node_key as component_key
        from labels_{{ max_rounds }} as labels
        inner join numbered as node on labels.node_number = node.node_number
        inner join numbered as anchor on labels.label = anchor.node_number
    ),

    components as (
        select
            nodes.node_key,
            coalesce(linked_components.component_key, nodes.node_key) as component_key
        from {{ nodes_relation }} as nodes
        left join linked_components on nodes.node_key = linked_components.node_key
    )

    select * from components
{%- endmacro %}

{#
    Connected components of an undirected graph by min-label propagation, in plain SQL.

    nodes_relation has a `node_key` column, edges_relation `from_key` and `to_key`. Every node starts
    with its own key as label; each round a node takes the smallest label among itself and its
    neighbours. After `max_rounds` rounds every node of a component whose diameter is at most
    `max_rounds` carries the component's smallest key. Unrolled rounds (not a recursive CTE) keep
    it portable to engines without recursion; the `assert_components_converged` test catches a
    component that needed more rounds.

    Returns a select of (node_key, component_key).
#}
{% macro connected_components(nodes_relation, edges_relation, max_rounds) -%}
    with

    -- every node is its own neighbour, so that each round reads the previous labels only once
    -- (a CTE read twice per round could be inlined twice, doubling the work every round)
    neighbours as (
        select from_key as node_key, to_key as neighbour_key from {{ edges_relation }}
        union all
        select to_key as node_key, from_key as neighbour_key from {{ edges_relation }}
        union all
        select node_key, node_key as neighbour_key from {{ nodes_relation }}
    ),

    labels_0 as (
        select node_key, node_key as label from {{ nodes_relation }}
    ),

    {% for round in range(1, max_rounds + 1) %}
    labels_{{ round }} as (
        select
            neighbours.node_key,
            min(previous.label) as label
        from neighbours
        inner join labels_{{ round - 1 }} as previous
            on neighbours.neighbour_key = previous.node_key
        group by neighbours.node_key
    ),
    {% endfor %}

    components as (
        select node_key, label as component_key from labels_{{ max_rounds }}
    )

    select * from components
{%- endmacro %}

{#
    Connected components are complete: every edge joins two nodes of the same component. Fails
    with the edges whose ends were labelled differently, which happens only when a component is
    wider than the rounds of label propagation (raise var identity_max_hops).
#}
{% test assert_components_converged(model, edges, from_column, to_column, node_column, component_column) %}

    select
        edges.{{ from_column }},
        edges.{{ to_column }},
        from_node.{{ component_column }} as from_component,
        to_node.{{ component_column }} as to_component
    from {{ edges }} as edges
    inner join {{ model }} as from_node on edges.{{ from_column }} = from_node.{{ node_column }}
    inner join {{ model }} as to_node on edges.{{ to_column }} = to_node.{{ node_column }}
    where from_node.{{ component_column }} != to_node.{{ component_column }}

{% endtest %}

{#
    The person and account attributes the seeds refer to, as a list of names (`person.<column>`,
    `account.<column>`), read from the warehouse when the calling model runs: the fit rules'
    attributes, the fit-critical fields, the scoring models' segment attributes and the learning
    features of kind `attribute`. int_person_attributes_unpivoted unpivots only these.
    None where there is nothing to read: at parse time, when a seed is not loaded yet (`dbt compile`
    on an empty warehouse), and in unit tests (no `this`). The model then unpivots every attribute,
    as it does should the list be empty.
#}
{% macro referenced_attributes() -%}
    {%- set seeds = [
        ref('fit_rules'), ref('fit_critical_fields'), ref('scoring_models'), ref('learning_features')
    ] -%}
    {%- if not execute or this is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- for seed in seeds -%}
        {%- if load_relation(seed) is none -%}
            {{- return(none) -}}
        {%- endif -%}
    {%- endfor -%}
    {%- set found = run_query(
        'select attribute from ' ~ seeds[0]
        ~ ' union select attribute from ' ~ seeds[1]
        ~ ' union select segment_attribute from ' ~ seeds[2]
        ~ " union select source from " ~ seeds[3] ~ " where kind = 'attribute'"
    ) -%}
    {{- return(found.columns[0].values() | reject('none') | list) -}}
{%- endmacro %}

{#
    Values the scoring models filter tens of millions of activities by, as literals read from the
    warehouse when the model runs: the scoring date, `cast('2026-11-20' as date)`, and the interest
    reach, `395`: the most days before the scoring date an event can be and still count, for its
    cap window if not for its own points (the longest lookback plus cap window of a model).
    Filtered through a join or a scalar subquery instead, the planner has no estimate of how many
    activities pass: DuckDB guessed about 124,000 of the 25M recent activities on the large preset
    and built its hash table on them rather than on the 1.5M scored people (docs/decisions.md,
    "Scoring the day's interest filters by literals"). A literal lets it use the column's
    statistics.
    Each falls back to its scalar subquery when there is nothing to read: at parse time, when the
    table is not built yet (`dbt compile` on an empty warehouse), and in unit tests (no `this`),
    whose fixtures stand in for the tables.
#}
{% macro scoring_date_literal() -%}
    {{- return(scalar_literal(
        'select as_of_date from ' ~ ref('int_scoring_as_of'), ref('int_scoring_as_of'), 'date'
    )) -}}
{%- endmacro %}

{% macro max_interest_reach_literal() -%}
    {{- return(scalar_literal(
        'select max(models.interest_lookback_days + coalesce(rules.cap_window_days, 0)) from '
        ~ ref('scoring_models') ~ ' as models left join ' ~ ref('interest_rules')
        ~ ' as rules on models.model_id = rules.model_id',
        ref('scoring_models'),
        dbt.type_int()
    )) -}}
{%- endmacro %}

{#- One value from `query` (reading `relation`) as `cast('value' as cast_type)`, or `(query)`. -#}
{% macro scalar_literal(query, relation, cast_type) -%}
    {%- if execute and this is not none and load_relation(relation) is not none -%}
        {%- set found = run_query(query) -%}
        {%- if found.rows | length == 1 and found.rows[0][0] is not none -%}
            {{- return("cast('" ~ found.rows[0][0] ~ "' as " ~ cast_type ~ ")") -}}
        {%- endif -%}
    {%- endif -%}
    {{- return('(' ~ query ~ ')') -}}
{%- endmacro %}

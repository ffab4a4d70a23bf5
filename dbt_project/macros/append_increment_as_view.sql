{#
    An incremental model with the append strategy builds its increment as a temporary view, not a
    temporary table: dbt-duckdb's incremental materialization first writes the model's query to a
    temporary relation, then inserts that relation into the table. With a view the query runs once,
    straight into the table, instead of writing the rows twice (on large, the learning features'
    23.7M daily score rows: 15.3 s to the temporary table and 7.9 s from it, against 14.6 s
    inserted directly; docs/decisions.md, "An appended increment is a view").

    The view is read by exactly one statement, the append's insert, after the pre-hooks, as the
    temporary table was, so it sees the same data. Other strategies (delete+insert reads its
    increment twice, before and after the delete), other materializations and Python models keep
    dbt-duckdb's own macro, reached through the `dbt` namespace (this project comes first in its
    dispatch search order, dbt_project.yml).
#}
{% macro duckdb__create_table_as(
    temporary, relation, compiled_code, language='sql', partitioned_by=none, sorted_by=none
) -%}
    {%- if temporary and language == 'sql'
        and config.get('materialized') == 'incremental'
        and config.get('incremental_strategy') == 'append' -%}
        create temporary view {{ relation.include(database=false, schema=false) }} as (
            {{ compiled_code }}
        );
    {%- else -%}
        {{ dbt.duckdb__create_table_as(
            temporary, relation, compiled_code, language, partitioned_by, sorted_by
        ) }}
    {%- endif -%}
{%- endmacro %}

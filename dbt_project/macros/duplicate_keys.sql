{#
    The combinations of `columns` that more than one row of `relation` carries, each with how many
    rows carry it (n_rows): what the uniqueness tests return.

    On DuckDB the rows are first grouped by one 64-bit hash of the key, and only the rows whose hash
    repeats are then grouped by the columns themselves: grouping tens of millions of rows by one
    integer instead of several strings halves the time of the large preset's slowest data tests
    (docs/decisions.md, "Uniqueness tests group by a hash first"). A hash collision costs a few more
    rows in the second step, never a wrong answer. Elsewhere: one plain grouping.
#}
{% macro duplicate_keys(relation, columns) -%}
    {{ return(adapter.dispatch('duplicate_keys', 'mqa_warehouse')(relation, columns)) }}
{%- endmacro %}

{% macro default__duplicate_keys(relation, columns) -%}
    {%- set columns_csv = columns | join(', ') %}
    select
        {{ columns_csv }},
        count(*) as n_rows
    from {{ relation }}
    group by {{ columns_csv }}
    having count(*) > 1
{%- endmacro %}

{% macro duckdb__duplicate_keys(relation, columns) -%}
    {%- set columns_csv = columns | join(', ') -%}
    {%- set rows_of_repeated_hashes -%}
        (
            select *
            from {{ relation }}
            where hash({{ columns_csv }}) in (
                select hash({{ columns_csv }})
                from {{ relation }}
                group by hash({{ columns_csv }})
                having count(*) > 1
            )
        ) as rows_of_repeated_hashes
    {%- endset %}
    {{ default__duplicate_keys(rows_of_repeated_hashes, columns) }}
{%- endmacro %}


{#
    dbt's `unique` test on DuckDB, through duplicate_keys (found first because dbt_project.yml puts
    this project before dbt in the `dbt` namespace's dispatch search order). It returns what dbt's
    own does: each repeated non-null value (unique_field) and how many rows carry it (n_records).
#}
{% macro duckdb__test_unique(model, column_name) -%}
    {%- set tested -%}
        (select {{ column_name }} as unique_field from {{ model }} where {{ column_name }} is not null) as tested
    {%- endset %}
    select
        duplicates.unique_field,
        duplicates.n_rows as n_records
    from ({{ duplicate_keys(tested, ['unique_field']) }}) as duplicates
{%- endmacro %}

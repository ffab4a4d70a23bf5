{#
    The delete-and-append refresh shared by the incremental tables that a daily build computes
    again per key (the touches per person, the engagement report's tables per account and week).

    refresh_keys(name, keys, query): the pre-hook, on an incremental run: keeps `query` (a query of
    the `keys` columns, the keys to compute again) in a temporary table on the model's connection
    (refreshed_keys(name)), then deletes this table's rows with those keys. It runs in the model's
    transaction, so a failed build leaves the table as it was. The keys are found once, before
    anything is deleted.

    key_is_refreshed(name, keys, relation_alias): a where-clause condition on a relation with the
    `keys` columns: on an incremental run, its key is in that temporary table; always true on a full
    build.

    forget_refreshed_keys(name): the post-hook: drops that temporary table once the model is built.
    It would otherwise live, and hold memory, as long as dbt's connection: millions of keys, beside
    the heavy models that build after it.
#}
{% macro refresh_keys(name, keys, query) -%}
    {%- if is_incremental() -%}
        create or replace temporary table {{ refreshed_keys(name) }} as
        {{ query }};

        delete from {{ this }}
        where ({{ keys | join(', ') }}) in (
            select {{ keys | join(', ') }} from {{ refreshed_keys(name) }}
        )
    {%- endif -%}
{%- endmacro %}

{% macro key_is_refreshed(name, keys, relation_alias) -%}
    {%- if is_incremental() -%}
        ({{ relation_alias }}.{{ keys | join(', ' ~ relation_alias ~ '.') }}) in (
            select {{ keys | join(', ') }} from {{ refreshed_keys(name) }}
        )
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{% macro forget_refreshed_keys(name) -%}
    {%- if is_incremental() -%}
        drop table if exists {{ refreshed_keys(name) }}
    {%- endif -%}
{%- endmacro %}

{% macro refreshed_keys(name) -%}
    {{- return(api.Relation.create(identifier=this.identifier ~ '__' ~ name, type='table')) -}}
{%- endmacro %}

{#
    The hooks of int_person_mql_entries, which reads only the score history's days after its
    latest rows' newest day (see the model).

    forget_mql_entries_of_a_rewritten_history(): a pre-hook. On an incremental run, empties the
    table when the history holds a row written after the table's last build for a day the table
    has already read (a backfill or a re-scored day): the model then reads the whole history
    again. The history's rows are stamped by the run that wrote them (refreshed_at), and each run's
    rows are stored together, so the engine skips the blocks of older runs.

    remove_superseded_latest_mql_rows(): a post-hook. Keeps one 'latest' row per person and model,
    the newest: the build has just added the new latest rows of the people whose new days it read.
    Both run in the model's transaction, so a failed build leaves the table as it was.
#}
{% macro forget_mql_entries_of_a_rewritten_history() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where exists (
            select 1
            from {{ ref('fct_person_score_history') }} as history
            where
                history.refreshed_at > (select max(built.refreshed_at) from {{ this }} as built)
                and history.as_of_date <= (
                    select max(latest.as_of_date) from {{ this }} as latest
                    where latest.row_kind = 'latest'
                )
        )
    {%- endif -%}
{%- endmacro %}

{% macro remove_superseded_latest_mql_rows() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where
            row_kind = 'latest'
            and exists (
                select 1
                from {{ this }} as newer
                where
                    newer.row_kind = 'latest'
                    and newer.person_id = {{ this.identifier }}.person_id
                    and newer.model_id = {{ this.identifier }}.model_id
                    and newer.as_of_date > {{ this.identifier }}.as_of_date
            )
    {%- endif -%}
{%- endmacro %}

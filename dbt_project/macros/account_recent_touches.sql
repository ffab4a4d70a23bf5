{#
    int_account_recent_touches keeps each account's latest touches (at most
    var recent_engagements_per_account, up to the scoring date) from one build to the next; a daily
    build ranks again only the accounts whose latest touches can have changed since its last build,
    deletes their rows and appends them ranked anew. An account's touches are the activities of
    fct_activities with that account, each one a row of int_activities_resolved, which recomputes an
    activity (a new resolved_at) whenever anything of it can have changed: a new load, a copy, a
    reclassification, its person or that person's account moved. Each row keeps the build's
    watermarks: resolved_through, the newest resolved_at of int_activities_resolved then, and
    as_of_date, the scoring date then; and recency_limit, the var then.

    recent_touch_accounts_to_rank(): a query of account_id, the accounts to rank again:
      * the account of every activity int_activities_resolved has (re)computed since
        resolved_through, or dated after the last build's scoring date and on or before this
        one's (touches count up to the scoring date): where the activity is now;
      * every account this table holds one of those activities at: where it was, when it has moved
        to another account, become a copy or been deleted;
      * every account this table holds a touch of a person at whom a person record changed since
        belongs or belonged to (int_person_record_versions), as int_activities_resolved finds them;
      * every account, when the scoring date has moved back (the `as_of` var, to re-score history)
        or the var recent_engagements_per_account differs from a row's. An empty table has no
        watermarks: every account is ranked.
    An account not named keeps its rows: none of its activities changed, none moved to it or away
    from it, and none is dated after the last scoring date and on or before the new one, so its
    latest touches are those it had (an activity that leaves an account and is not among its
    latest leaves them as they were).

    rank_recent_touch_accounts(): the pre-hook: on an incremental run, keeps
    recent_touch_accounts_to_rank() and deletes their rows (refresh_keys,
    macros/refreshed_keys.sql).

    recent_touch_account_is_ranked(relation_alias): a where-clause condition on a relation with
    account_id: on an incremental run, the account is one of them; always true on a full build.
#}
{% macro recent_touch_accounts_to_rank() -%}
    {%- set limit = var('recent_engagements_per_account', 20) -%}
    with

    -- an empty table has no watermark: every resolved activity is after 1900
    last_ranking as (

        select
            coalesce(
                max(resolved_through), cast('1900-01-01' as {{ dbt.type_timestamp() }})
            ) as resolved_through,
            max(as_of_date) as as_of_date,
            sum(case when recency_limit <> {{ limit }} then 1 else 0 end) > 0 as limit_changed
        from {{ this }}

    ),

    scoring_date as (

        select as_of_date from {{ ref('int_scoring_as_of') }}

    ),

    rank_everyone as (

        select
            coalesce(last_ranking.limit_changed, false)
            or scoring_date.as_of_date < last_ranking.as_of_date as rank_everyone
        from last_ranking
        cross join scoring_date

    ),

    changed_activities as (

        select
            resolved.activity_id,
            resolved.account_id
        from {{ ref('int_activities_resolved') }} as resolved
        cross join last_ranking
        cross join scoring_date
        cross join rank_everyone
        where
            rank_everyone.rank_everyone
            or resolved.resolved_at > last_ranking.resolved_through
            or (
                resolved.activity_date > last_ranking.as_of_date
                and resolved.activity_date <= scoring_date.as_of_date
            )

    ),

    changed_records as (

        {{ person_records_changed_after('(select last_ranking.resolved_through from last_ranking)') }}

    )

    select changed_activities.account_id
    from changed_activities
    where changed_activities.account_id is not null

    union

    select kept.account_id
    from {{ this }} as kept
    inner join changed_activities on kept.activity_id = changed_activities.activity_id

    union

    select kept.account_id
    from {{ this }} as kept
    where kept.person_id in (
        {{ persons_of_person_records('changed_records') }}  -- noqa: LT02
    )

    union

    select kept.account_id
    from {{ this }} as kept
    where (select rank_everyone.rank_everyone from rank_everyone)
{%- endmacro %}

{% macro rank_recent_touch_accounts() -%}
    {{- refresh_keys('accounts_ranked', ['account_id'], recent_touch_accounts_to_rank()) -}}
{%- endmacro %}

{% macro recent_touch_account_is_ranked(relation_alias) -%}
    {{- key_is_refreshed('accounts_ranked', ['account_id'], relation_alias) -}}
{%- endmacro %}

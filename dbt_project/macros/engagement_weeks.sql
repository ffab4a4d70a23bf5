{#
    The engagement report's tables, int_account_person_week_totals and rpt_account_engagement, are
    kept from one build to the next per account and calendar week: a daily build computes again
    only the weeks (account_id, week_start) that can have changed since its last build, deletes
    their rows and appends them computed anew. Each row keeps refreshed_at, the start of the run
    that computed it. A week is computed whole, every person of the account in it.

    engagement_weeks_to_refresh(computed, built_persons, more_persons, more_weeks): a query of
    account_id, week_start, the weeks to compute again, after this table's newest refreshed_at:
      * every week of `computed` (the table this one is computed from, with account_id, week_start
        and refreshed_at) computed since: int_account_person_week_touches counts a person's weeks
        again whole, int_account_person_week_totals an account's week;
      * every week this table holds of the people counted again since: the people with rows of
        int_account_person_week_touches counted since, those any person record changed since
        belongs or belonged to (int_person_record_versions; their rows may have moved to another
        person or account, or gone), and `more_persons`, a query of person_id (people whose name
        changed; it may read the CTE last_refresh, this table's newest refreshed_at).
        `built_persons` is a query of account_id, week_start, person_id over this table's rows.
        A week they left is computed again without them, or deleted when nobody is left in it;
      * `more_weeks`, a query of account_id, week_start (the weeks of accounts renamed).
    Weeks of people who share a week with a person counted again are not computed again, only
    that week. An empty table has no refreshed_at: every row is newer.

    refresh_engagement_weeks(...): the pre-hook: on an incremental run, keeps
    engagement_weeks_to_refresh(...) and deletes their rows (refresh_keys,
    macros/refreshed_keys.sql).

    engagement_week_is_refreshed(relation_alias): a where-clause condition on a relation with
    account_id and week_start: on an incremental run, the week is one of them; always true on a
    full build.

    engagement_person_profiles(): a query of each person's name, department and seniority as the
    report shows them ('unknown' when missing), shared by the totals and their check for changes.
#}
{% macro engagement_weeks_to_refresh(computed, built_persons, more_persons=none, more_weeks=none) -%}
    with

    -- an empty table has no refresh: every row computed upstream is newer than 1900
    last_refresh as (

        select coalesce(max(refreshed_at), cast('1900-01-01' as {{ dbt.type_timestamp() }})) as refreshed_at
        from {{ this }}

    ),

    changed_records as (

        {{ person_records_changed_after('(select last_refresh.refreshed_at from last_refresh)') }}

    ),

    recounted_persons as (

        select touches.person_id
        from {{ ref('int_account_person_week_touches') }} as touches
        where touches.refreshed_at > (select last_refresh.refreshed_at from last_refresh)

        union

        {{ persons_of_person_records('changed_records') }}  -- noqa: LT02
        {% if more_persons is not none %}
        union
        {{ more_persons }}  -- noqa: LT02
        {% endif %}

    ),

    built_persons as (

        {{ built_persons }}

    )

    select computed.account_id, computed.week_start
    from {{ computed }} as computed
    where computed.refreshed_at > (select last_refresh.refreshed_at from last_refresh)

    union

    select built_persons.account_id, built_persons.week_start
    from built_persons
    inner join recounted_persons on built_persons.person_id = recounted_persons.person_id
    {% if more_weeks is not none %}
    union
    {{ more_weeks }}
    {% endif %}
{%- endmacro %}

{% macro refresh_engagement_weeks(computed, built_persons, more_persons=none, more_weeks=none) -%}
    {{- refresh_keys(
        'weeks_refreshed',
        ['account_id', 'week_start'],
        engagement_weeks_to_refresh(computed, built_persons, more_persons, more_weeks)
    ) -}}
{%- endmacro %}

{% macro engagement_week_is_refreshed(relation_alias) -%}
    {{- key_is_refreshed('weeks_refreshed', ['account_id', 'week_start'], relation_alias) -}}
{%- endmacro %}

{% macro engagement_person_profiles() -%}
    select
        persons.person_id,
        nullif(
            trim(coalesce(persons.first_name, '') || ' ' || coalesce(persons.last_name, '')), ''
        ) as person_name,
        coalesce(persons.department, 'unknown') as department,
        coalesce(persons.seniority, 'unknown') as seniority
    from {{ ref('dim_persons') }} as persons
{%- endmacro %}

{#
    The pre-hooks of the two tables.

    int_account_person_week_totals counts again, besides the people whose touches were counted
    again, those whose name, department or seniority in dim_persons differs from their rows', looked
    for among the people whose golden record was computed since its last build.

    rpt_account_engagement computes again, besides the weeks of the people whose totals were
    computed again, every week of an account whose name in dim_accounts differs from its rows'.
#}
{% macro refresh_account_person_week_totals() -%}
    {%- set built_persons -%}
        select built.account_id, built.week_start, built.person_id from {{ this }} as built
    {%- endset -%}
    {#- A person's name, department and seniority are their golden record's, which changes only when
        int_person_golden_records computes it again (a newer refreshed_at): only those people's rows
        are compared, not every row of the table. A person who is gone has had a person record
        changed, and is counted again by that. -#}
    {#- (Joined to the few people first: as an `in` filter beside the profiles' join, DuckDB compared
        every row, 5-11 s on large against 1.3-1.6 s.) -#}
    {%- set profile_changed -%}
        select built.person_id
        from {{ this }} as built
        inner join (
            select golden.person_id
            from {{ ref('int_person_golden_records') }} as golden
            where golden.refreshed_at > (select last_refresh.refreshed_at from last_refresh)
        ) as recomputed
            on built.person_id = recomputed.person_id
        inner join ({{ engagement_person_profiles() }}) as profiles
            on built.person_id = profiles.person_id
        where
            built.person_name is distinct from profiles.person_name
            or built.department <> coalesce(profiles.department, 'unknown')
            or built.seniority <> coalesce(profiles.seniority, 'unknown')
    {%- endset -%}
    {{ refresh_engagement_weeks(
        ref('int_account_person_week_touches'), built_persons, more_persons=profile_changed
    ) }}
{%- endmacro %}

{% macro refresh_account_engagement() -%}
    {%- set built_persons -%}
        select built.account_id, built.week_start, built.breakdown_value as person_id
        from {{ this }} as built
        where built.breakdown = 'person'
    {%- endset -%}
    {%- set renamed_weeks -%}
        select built.account_id, built.week_start
        from {{ this }} as built
        where built.account_id in (
            select renamed.account_id
            from {{ this }} as renamed
            left join {{ ref('dim_accounts') }} as accounts
                on renamed.account_id = accounts.account_id
            where
                renamed.breakdown = 'event_type'
                and renamed.account_name is distinct from accounts.account_name
        )
    {%- endset -%}
    {{ refresh_engagement_weeks(
        ref('int_account_person_week_totals'), built_persons, more_weeks=renamed_weeks
    ) }}
{%- endmacro %}

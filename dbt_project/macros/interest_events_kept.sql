{#
    int_interest_events_capped keeps each scored event's points after its cap, which do not change
    as the scoring date moves on (cap windows are calendar periods), and a daily build caps again
    only the people whose points can have changed since its last build; int_interest_events_decayed
    (a view) decays the kept points to the scoring date when read. Each row keeps the build's
    watermarks (resolved_through, as_of_date) and the fingerprint of the settings its points follow.
    Besides its events, every person a model scores has one row with no event (activity_id null):
    whom the build scored, so that the next build finds who joined or left a model's segment.

    interest_caps_fingerprint(): an SQL expression, a hash of what the kept points depend on besides
    the activities: every interest rule's model and cap setting (interest_cap_setting,
    macros/account_touches.sql: event type, points, cap and cap window), and every model's
    lookback. A rule's half-life and description are not in it: the view reads them from the seed
    when it decays.

    interest_persons_to_recount(): a query of person_id, the people to cap again: those of
    persons_to_recount (macros/persons_to_recount.sql: changed or newly dated activities, identity
    changes; everyone when the scoring date moved back or the fingerprint changed), and every person
    who joined or left a model's scored people (int_scoring_model_persons against the rows with no
    event; every scored person when everyone is), in one full join of the two.

    recount_interest_persons(): the pre-hook: on an incremental run, keeps those people and deletes
    their rows (refresh_keys, macros/refreshed_keys.sql).

    forget_aged_interest_events(): the second pre-hook: deletes the events the scoring date has
    left behind (as old as their model's lookback, which each row carries, or older), which no
    build would write again.
#}
{% macro interest_caps_fingerprint() -%}
    (
        select {{ dbt.hash(ordered_list('settings.setting', "'; '", 'settings.setting')) }}
        from (
            select {{ dbt.concat(["'rule|'", 'rules.model_id', "'|'", interest_cap_setting()]) }} as setting
            from {{ ref('interest_rules') }} as rules
            union all
            select
                {{ dbt.concat([
                    "'lookback|'", 'models.model_id',
                    "'|'", dbt.cast('models.interest_lookback_days', dbt.type_string())
                ]) }} as setting
            from {{ ref('scoring_models') }} as models
        ) as settings
    )
{%- endmacro %}

{% macro interest_persons_to_recount() -%}
    {%- set rules_changed -%}
        (select count(*) > 0 from {{ this }} where rules_fingerprint <> {{ interest_caps_fingerprint() }})
    {%- endset -%}
    {%- set also_persons -%}
        select coalesce(members.person_id, scored.person_id) as person_id
        from {{ ref('int_scoring_model_persons') }} as members
        full outer join (
            select
                kept.person_id,
                kept.model_id
            from {{ this }} as kept
            where kept.activity_id is null
        ) as scored
            on members.person_id = scored.person_id and members.model_id = scored.model_id
        cross join recount_everyone
        where
            recount_everyone.recount_everyone
            or members.person_id is null
            or scored.person_id is null
    {%- endset -%}
    {{- persons_to_recount(rules_changed, also_persons) -}}
{%- endmacro %}

{% macro recount_interest_persons() -%}
    {{- refresh_keys('persons_recounted', ['person_id'], interest_persons_to_recount()) -}}
{%- endmacro %}

{% macro forget_aged_interest_events() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where
            activity_id is not null
            and {{ dbt.datediff('activity_date', scoring_date_literal(), 'day') }} >= interest_lookback_days
    {%- endif -%}
{%- endmacro %}

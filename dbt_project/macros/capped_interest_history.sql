{#
    int_interest_events_capped keeps each event's capped interest points and on a daily build caps
    again only the people whose points can have changed (macros/persons_recounted.sql), and everyone
    when the rules changed.

    interest_rules_fingerprint(): an SQL expression, a hash of every interest rule and every model's
    lookback: what the capped points and the activities kept depend on besides the activities. Each
    row keeps the one of its build; a build that finds another one caps every person again.

    max_interest_reach_literal(): the most days before the scoring date an event can be and still
    count, for its cap window if not its own points: the longest lookback plus cap window of a model,
    as a literal (macros/scoring_date_literal.sql).

    recount_capped_interest_persons(): the pre-hook. Deletes the rows of the people to cap again, of
    everyone when the fingerprint changed, and those the scoring date has left behind (older than
    the longest lookback).
#}
{% macro interest_rules_fingerprint() -%}
    (
        select {{ dbt.hash(ordered_list('settings.setting', "'; '", 'settings.setting')) }}
        from (
            select
                {{ dbt.concat([
                    "'rule|'", 'rules.model_id', "'|'", 'rules.event_type',
                    "'|'", dbt.cast('rules.points', dbt.type_string()),
                    "'|'", dbt.cast('rules.half_life_days', dbt.type_string()),
                    "'|'", "coalesce(" ~ dbt.cast('rules.cap_points', dbt.type_string()) ~ ", '')",
                    "'|'", "coalesce(" ~ dbt.cast('rules.cap_window_days', dbt.type_string()) ~ ", '')",
                    "'|'", 'rules.description'
                ]) }} as setting
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

{% macro max_interest_reach_literal() -%}
    {{- return(scalar_literal(
        'select max(models.interest_lookback_days + coalesce(rules.cap_window_days, 0)) from '
        ~ ref('scoring_models') ~ ' as models left join ' ~ ref('interest_rules')
        ~ ' as rules on models.model_id = rules.model_id',
        ref('scoring_models'),
        dbt.type_int()
    )) -}}
{%- endmacro %}

{% macro recount_capped_interest_persons() -%}
    {%- set fingerprint = interest_rules_fingerprint() -%}
    {{ recount_persons(
        recount_everyone='exists (select 1 from ' ~ this ~ ' as built where built.rules_fingerprint <> '
        ~ fingerprint ~ ')',
        also_delete='rules_fingerprint <> ' ~ fingerprint ~ ' or activity_date <= '
        ~ dbt.dateadd('day', '-1 * ' ~ max_interest_lookback_literal(), scoring_date_literal())
    ) }}
{%- endmacro %}

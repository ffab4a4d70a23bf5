{#
    int_person_golden_records keeps each person's golden record, and on a daily build computes
    again only the people whose golden record can have changed since its last build. A golden
    record reads nothing but the person's records (their fields, through int_person_records_unioned
    and int_person_records_clustered) and its title's class (int_titles_classified). Each row keeps
    `records_fingerprint`, an order-free fingerprint of every field the model reads of every record
    of the person (record_key included, so a record joining or leaving the person changes it).

    persons_to_regold(): a query of person_id, the people to compute again:
      * every person whose records' fingerprint now differs from their row's, who has no row (a new
        person), or whose row's person no longer has a record (a person split or merged away);
      * every person whose title's department or seniority now differs from their row's (the title
        taxonomy changed).
    Every other person's records and title class are as their row was computed from, so the row is
    what a full build would give.

    regold_persons(): the pre-hook: on an incremental run, keeps persons_to_regold() and deletes
    their rows (refresh_keys, macros/refreshed_keys.sql).

    person_golden_fingerprint(records_alias): the aggregate `records_fingerprint` over the records
    (`records_alias` a relation or CTE of int_person_records_unioned's columns; none for the columns
    unqualified) of a group by person.

    person_title_key(title): the key a title is classified under (int_titles_classified.title_key).
#}
{% macro persons_to_regold() -%}
    with

    current_fingerprints as (

        select
            clustered.person_id,
            {{ person_golden_fingerprint('records') }} as records_fingerprint
        from {{ ref('int_person_records_unioned') }} as records
        inner join {{ ref('int_person_records_clustered') }} as clustered
            on records.record_key = clustered.record_key
        group by clustered.person_id

    )

    select coalesce(current_fingerprints.person_id, kept.person_id) as person_id
    from current_fingerprints
    full outer join {{ this }} as kept on current_fingerprints.person_id = kept.person_id
    where
        current_fingerprints.person_id is null
        or kept.person_id is null
        or current_fingerprints.records_fingerprint <> kept.records_fingerprint

    union

    select kept.person_id
    from {{ this }} as kept
    left join {{ ref('int_titles_classified') }} as titles
        on {{ person_title_key('kept.title') }} = titles.title_key
    where
        kept.department is distinct from titles.department
        or kept.seniority is distinct from titles.seniority
{%- endmacro %}

{% macro regold_persons() -%}
    {{- refresh_keys('persons_regolden', ['person_id'], persons_to_regold()) -}}
{%- endmacro %}

{% macro person_golden_fingerprint(records_alias=none) -%}
    {%- set fields = [
        'record_key', 'email', 'email_domain', 'is_personal_email', 'is_deleted', 'source_priority',
        'first_name', 'last_name', 'title', 'country', 'company_name', 'source_system',
        'source_object', 'created_at', 'modified_at'
    ] -%}
    {%- set expressions = [] -%}
    {%- for field in fields -%}
        {%- do expressions.append((records_alias ~ '.' if records_alias else '') ~ field) -%}
    {%- endfor -%}
    {{ unordered_fingerprint(expressions) }}
{%- endmacro %}

{% macro person_title_key(title) -%}
    lower(trim({{ title }}))
{%- endmacro %}

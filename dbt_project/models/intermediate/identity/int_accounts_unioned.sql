-- Every account: the canonical CRM accounts with their firmographics and hierarchy, plus the
-- companies known only from their people's business email or website domain. The hierarchy is
-- rolled up to the ultimate parent (up to five levels; parents resolved like any CRM account).

{% set max_hierarchy_depth = 5 %}

with

crm_accounts as (

    select
        accounts.*,
        coalesce(accounts.website_domain, inferred_domains.domain) as primary_domain
    from {{ ref('stg_crm__accounts') }} as accounts
    inner join {{ ref('int_crm_accounts_resolved') }} as resolved
        on accounts.account_id = resolved.crm_account_id and resolved.rule = 'crm_account'
    left join {{ ref('int_account_domains') }} as inferred_domains
        on
            accounts.account_id = inferred_domains.account_id
            and inferred_domains.domain_source = 'contact_email'

),

resolved as (

    select
        crm_account_id,
        account_id
    from {{ ref('int_crm_accounts_resolved') }}

),

crm_with_parent as (

    select
        crm_accounts.account_id,
        crm_accounts.account_name,
        crm_accounts.primary_domain,
        crm_accounts.industry,
        crm_accounts.number_of_employees,
        crm_accounts.billing_country as country,
        crm_accounts.tech_stack,
        crm_accounts.account_type,
        parent.account_id as parent_account_id
    from crm_accounts
    left join resolved as parent
        on
            crm_accounts.parent_account_id = parent.crm_account_id
            and crm_accounts.account_id != parent.account_id

),

hierarchy as (

    select
        level_0.account_id,
        {% for depth in range(1, max_hierarchy_depth + 1) %}
            level_{{ depth }}.account_id as ancestor_{{ depth }},
        {% endfor %}
        level_0.parent_account_id
    from crm_with_parent as level_0
    {% for depth in range(1, max_hierarchy_depth + 1) %}
        left join crm_with_parent as level_{{ depth }}
            on level_{{ depth - 1 }}.parent_account_id = level_{{ depth }}.account_id
    {% endfor %}

),

crm_rolled_up as (

    select
        crm_with_parent.*,
        coalesce(
            {% for depth in range(max_hierarchy_depth, 0, -1) %}
                hierarchy.ancestor_{{ depth }},
            {% endfor %}
            crm_with_parent.account_id
        ) as ultimate_parent_account_id,
        true as is_crm_account
    from crm_with_parent
    inner join hierarchy on crm_with_parent.account_id = hierarchy.account_id

),

domain_account_records as (

    select
        assigned.account_id,
        records.company_name,
        records.industry,
        records.number_of_employees,
        records.country,
        records.modified_at
    from {{ ref('int_persons_accounts_assigned') }} as assigned
    inner join {{ ref('int_person_records_clustered') }} as clustered
        on assigned.person_id = clustered.person_id
    inner join {{ ref('int_person_records_unioned') }} as records
        on clustered.record_key = records.record_key
    where assigned.account_id like 'domain:%'

),

{% set domain_fields = ['company_name', 'industry', 'number_of_employees', 'country'] %}

domain_ranked as (

    select
        account_id,
        {% for field in domain_fields %}
            {{ field }},
            row_number() over (
                partition by account_id
                order by case when {{ field }} is null then 1 else 0 end, modified_at desc
            ) as {{ field }}_rank{% if not loop.last %},{% endif %}
        {% endfor %}
    from domain_account_records

),

domain_accounts as (

    select
        account_id,
        max(case when company_name_rank = 1 then company_name end) as account_name,
        {{ dbt.replace('account_id', "'domain:'", "''") }} as primary_domain,
        max(case when industry_rank = 1 then industry end) as industry,
        max(case when number_of_employees_rank = 1 then number_of_employees end) as number_of_employees,
        max(case when country_rank = 1 then country end) as country,
        cast(null as {{ dbt.type_string() }}) as tech_stack,
        cast(null as {{ dbt.type_string() }}) as account_type,
        cast(null as {{ dbt.type_string() }}) as parent_account_id,
        account_id as ultimate_parent_account_id,
        false as is_crm_account
    from domain_ranked
    group by account_id

),

unioned as (

    select * from crm_rolled_up
    union all
    select * from domain_accounts

)

select * from unioned

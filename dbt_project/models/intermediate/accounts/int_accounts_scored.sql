-- Each scored account's MQA state per model as of the scoring date: fit (the best fit among its
-- scored people), engagement (sum of capped person contributions), engaged people and their
-- departments and seniorities, coverage of the model's buyer committee and the roles missing, the
-- logistic likelihood from the configured weights, the day's baseline (average likelihood of the
-- model's scored accounts) and lift, open opportunities, and whether the MQA rules hold.

with

as_of as (

    select as_of_date from {{ ref('int_scoring_as_of') }}

),

rules as (

    select * from {{ ref('mqa_rules') }}

),

persons as (

    select * from {{ ref('int_account_persons_capped') }}

),

people as (

    select
        account_id,
        model_id,
        max(fit_score) as fit,
        sum(contribution) as engagement,
        sum(case when is_engaged then 1 else 0 end) as engaged_people,
        count(*) as scored_people
    from persons
    group by account_id, model_id

),

engaged_departments as (

    select distinct
        account_id,
        model_id,
        department
    from persons
    where is_engaged and department is not null

),

departments as (

    select
        account_id,
        model_id,
        {{ ordered_list('department', "', '", 'department') }} as departments
    from engaged_departments
    group by account_id, model_id

),

engaged_seniorities as (

    select distinct
        account_id,
        model_id,
        seniority,
        seniority_level
    from persons
    where is_engaged and seniority is not null

),

seniorities as (

    select
        account_id,
        model_id,
        {{ ordered_list('seniority', "', '", 'seniority_level desc, seniority') }} as seniorities
    from engaged_seniorities
    group by account_id, model_id

),

committee_roles as (

    select filled_roles.*
    from {{ ref('int_account_committee_roles_filled') }} as filled_roles
    inner join rules
        on filled_roles.model_id = rules.model_id and filled_roles.segment = rules.committee_segment

),

committee as (

    select
        account_id,
        model_id,
        count(*) as roles_expected,
        sum(case when is_filled then 1 else 0 end) as roles_filled,
        sum(case when required_for_mqa and not is_filled then 1 else 0 end) as required_roles_missing
    from committee_roles
    group by account_id, model_id

),

missing as (

    select
        account_id,
        model_id,
        {{ ordered_list('role', "', '", 'role') }} as missing_roles
    from committee_roles
    where not is_filled
    group by account_id, model_id

),

required_missing as (

    select
        account_id,
        model_id,
        {{ ordered_list('role', "', '", 'role') }} as missing_required_roles
    from committee_roles
    where not is_filled and required_for_mqa
    group by account_id, model_id

),

opportunities as (

    select
        account_id,
        count(*) as open_opportunities
    from {{ ref('int_account_opportunities_opened') }}
    group by account_id

),

features as (

    select
        people.account_id,
        people.model_id,
        as_of.as_of_date,
        people.fit,
        people.engagement,
        people.engaged_people,
        people.scored_people,
        departments.departments,
        seniorities.seniorities,
        committee.roles_expected,
        committee.roles_filled,
        committee.required_roles_missing,
        missing.missing_roles,
        required_missing.missing_required_roles,
        rules.min_engaged_people,
        rules.min_committee_coverage,
        rules.likelihood_threshold_kind,
        rules.likelihood_threshold,
        1.0 * committee.roles_filled / committee.roles_expected as coverage,
        coalesce(opportunities.open_opportunities, 0) as open_opportunities,
        rules.intercept
        + rules.weight_fit * people.fit / 100.0
        + rules.weight_engagement * people.engagement / 100.0
        + rules.weight_engaged_people * people.engaged_people / 10.0
        + rules.weight_coverage
        * committee.roles_filled
        / committee.roles_expected as log_odds
    from people
    cross join as_of
    inner join rules on people.model_id = rules.model_id
    inner join committee
        on people.account_id = committee.account_id and people.model_id = committee.model_id
    left join departments
        on people.account_id = departments.account_id and people.model_id = departments.model_id
    left join seniorities
        on people.account_id = seniorities.account_id and people.model_id = seniorities.model_id
    left join missing
        on people.account_id = missing.account_id and people.model_id = missing.model_id
    left join required_missing
        on
            people.account_id = required_missing.account_id
            and people.model_id = required_missing.model_id
    left join opportunities on people.account_id = opportunities.account_id

),

likelihoods as (

    select
        features.*,
        1.0 / (1.0 + exp(-features.log_odds)) as likelihood
    from features

),

baselined as (

    select
        likelihoods.*,
        avg(likelihoods.likelihood) over (partition by likelihoods.model_id) as baseline
    from likelihoods

),

thresholded as (

    select
        baselined.*,
        baselined.likelihood / nullif(baselined.baseline, 0) as lift,
        case
            when baselined.likelihood_threshold_kind = 'multiple_of_baseline'
                then baselined.likelihood_threshold * baselined.baseline
            else baselined.likelihood_threshold
        end as likelihood_needed,
        baselined.engaged_people >= baselined.min_engaged_people as people_rule_holds,
        baselined.coverage >= baselined.min_committee_coverage as coverage_rule_holds,
        baselined.required_roles_missing = 0 as required_roles_rule_holds,
        baselined.open_opportunities > 0 as has_open_opportunity
    from baselined

),

judged as (

    select
        thresholded.*,
        thresholded.likelihood >= thresholded.likelihood_needed as likelihood_rule_holds
    from thresholded

)

select
    account_id,
    model_id,
    as_of_date,
    fit,
    engagement,
    engaged_people,
    scored_people,
    departments,
    seniorities,
    roles_expected,
    roles_filled,
    coverage,
    missing_roles,
    missing_required_roles,
    log_odds,
    likelihood,
    baseline,
    lift,
    likelihood_needed,
    open_opportunities,
    has_open_opportunity,
    people_rule_holds,
    coverage_rule_holds,
    required_roles_rule_holds,
    likelihood_rule_holds,
    has_open_opportunity and not required_roles_rule_holds as is_at_risk,
    people_rule_holds
    and coverage_rule_holds
    and required_roles_rule_holds
    and likelihood_rule_holds
    and not has_open_opportunity as is_mqa,
    case when people_rule_holds then 'engaged people ' else 'too few engaged people ' end
    || cast(engaged_people as {{ dbt.type_string() }})
    || case when people_rule_holds then ' >= ' else ' < ' end
    || cast(min_engaged_people as {{ dbt.type_string() }})
    || '; coverage '
    || cast(round(coverage, 2) as {{ dbt.type_string() }})
    || case when coverage_rule_holds then ' >= ' else ' < ' end
    || cast(min_committee_coverage as {{ dbt.type_string() }})
    || case
        when required_roles_rule_holds then '; required roles filled'
        else '; required roles missing: ' || missing_required_roles
    end
    || '; likelihood '
    || cast(round(likelihood, 3) as {{ dbt.type_string() }})
    || case when likelihood_rule_holds then ' >= ' else ' < ' end
    || cast(round(likelihood_needed, 3) as {{ dbt.type_string() }})
    || ' (lift '
    || cast(round(likelihood / nullif(baseline, 0), 2) as {{ dbt.type_string() }})
    || ')'
    || case
        when has_open_opportunity then '; open opportunity: tracked, not a new MQA'
        else '; no open opportunity'
    end as rule_reasons
from judged

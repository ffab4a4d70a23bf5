-- The one account of each person: the strongest evidence among all their records wins; between
-- equally strong evidence for different accounts, the account more of their records point to,
-- then the most recent record, then the smallest account id (deterministic).

with

evidence_by_account as (

    select
        person_id,
        account_id,
        min(strength) as strength,
        count(*) as supporting_records,
        max(modified_at) as latest_evidence_at
    from {{ ref('int_person_account_evidence') }}
    group by person_id, account_id

),

strongest_rule as (

    select
        person_id,
        account_id,
        rule,
        row_number() over (partition by person_id, account_id order by strength, rule) as rule_rank
    from {{ ref('int_person_account_evidence') }}

),

ranked as (

    select
        evidence_by_account.*,
        row_number() over (
            partition by evidence_by_account.person_id
            order by
                evidence_by_account.strength asc,
                evidence_by_account.supporting_records desc,
                evidence_by_account.latest_evidence_at desc,
                evidence_by_account.account_id asc
        ) as account_rank
    from evidence_by_account

),

assigned as (

    select
        ranked.person_id,
        ranked.account_id,
        strongest_rule.rule as account_rule,
        ranked.supporting_records
    from ranked
    inner join strongest_rule
        on
            ranked.person_id = strongest_rule.person_id
            and ranked.account_id = strongest_rule.account_id
            and strongest_rule.rule_rank = 1
    where ranked.account_rank = 1

)

select * from assigned

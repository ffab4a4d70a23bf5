-- One row per human: the golden record, their account and how many source records stand behind them.

select
    golden.person_id,
    assigned.account_id,

    ---------- golden record
    golden.email,
    golden.email_domain,
    golden.is_personal_email,
    golden.first_name,
    golden.last_name,
    golden.title,
    golden.department,
    golden.seniority,
    golden.country,
    golden.company_name,

    ---------- account evidence
    assigned.account_rule,

    ---------- source records
    golden.crm_contact_records,
    golden.crm_lead_records,
    golden.map_lead_records,
    golden.web_visitor_records,
    ---------- time
    golden.first_seen_at,
    golden.last_seen_at,

    ---------- all source records behind the person
    golden.crm_contact_records
    + golden.crm_lead_records
    + golden.map_lead_records
    + golden.web_visitor_records as source_records

from {{ ref('int_person_golden_records') }} as golden
left join {{ ref('int_persons_accounts_assigned') }} as assigned
    on golden.person_id = assigned.person_id

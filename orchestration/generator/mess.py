"""The documented rates of CRM and marketing data mess that the generator injects.

Every rate lives here, once, so that docs/sample_data.md, the generator and the tests agree on
what a real export looks like. Each field's comment says what it is a share *of*.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class MessRates:
    """Rates of the data problems identity resolution and data quality checks must cope with."""

    # --- How a true person shows up in the CRM (shares of company employees at a company with a CRM account)
    crm_none: float = 0.15  # no CRM record at all (only marketing or web)
    crm_lead_only: float = 0.30  # never-converted lead at a company that has an account
    crm_converted: float = 0.25  # lead converted to a contact (ConvertedContactId set)
    crm_contact_only: float = 0.20  # contact entered directly by sales
    crm_lead_and_contact_unlinked: float = 0.10  # both a lead and a contact, no conversion link
    # employees of companies without an account that still have a lead
    lead_rate_without_account: float = 0.55
    # students, hobbyists and job seekers with a CRM lead
    lead_rate_non_employee: float = 0.35

    # --- Duplicates and merges
    duplicate_lead_rate: float = 0.06  # share of persons with a lead that have a second, duplicate lead
    duplicate_lead_merged_share: float = 0.5  # of those duplicates, merged away (IsDeleted, MasterRecordId)
    merged_contact_rate: float = 0.03  # share of persons with a contact that also have a merged-away contact
    map_merge_rate: float = 0.03  # share of Marketo persons with a second Marketo lead merged into the first
    duplicate_account_rate: float = 0.03  # share of companies with an account that have a second account

    # --- Emails
    personal_email_employee_rate: float = 0.08  # employees who give a personal address on their records
    mail_subdomain_rate: float = 0.04  # work emails written on a mail subdomain (jane@mail.acme.com)
    email_case_variant_rate: float = 0.10  # records whose email is capitalised (Jane.Doe@Acme.com)
    lead_email_missing_rate: float = 0.03  # leads without an email

    # --- Company names and websites on leads and Marketo records
    company_name_variant_rate: float = 0.45  # lead company typed as a variant (ACME Inc., acme corp)
    website_variant_rate: float = 0.6  # website in another form (acme.com, http://acme.com/about)

    # --- Marketo sync
    map_presence_employee: float = 0.70  # employees known to marketing automation
    map_presence_non_employee: float = 0.9  # students, hobbyists, job seekers known to marketing automation
    map_linked_rate: float = 0.85  # Marketo leads of CRM persons carrying sfdcLeadId / sfdcContactId
    web_identified_rate: float = 0.35  # visitors of Marketo persons who identify themselves (email on a view)

    # --- Completeness (share of rows with the field filled)
    lead_industry_filled: float = 0.70
    lead_employees_filled: float = 0.62
    lead_title_filled: float = 0.88
    lead_country_filled: float = 0.92
    lead_website_filled: float = 0.50
    contact_title_filled: float = 0.93
    contact_department_filled: float = 0.15
    contact_country_filled: float = 0.90
    account_industry_filled: float = 0.95
    account_employees_filled: float = 0.92
    account_country_filled: float = 0.97
    account_website_filled: float = 0.96
    account_revenue_filled: float = 0.80
    account_tech_stack_filled: float = 0.75
    map_industry_filled: float = 0.50
    map_title_filled: float = 0.80

    # --- Malformed rows per CRM CSV file (extra records nothing references)
    malformed_rows_per_file: int = 4

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


MESS_RATES = MessRates()

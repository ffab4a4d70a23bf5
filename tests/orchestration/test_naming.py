"""Column-name folding: both export dialects must give the contract's names."""

import pytest

from orchestration.naming import to_snake_case


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Id", "id"),
        ("ConvertedContactId", "converted_contact_id"),
        ("NumberOfEmployees", "number_of_employees"),
        ("Tech_Stack__c", "tech_stack_c"),
        ("MQL_Date__c", "mql_date_c"),
        ("SystemModstamp", "system_modstamp"),
        ("sfdcLeadId", "sfdc_lead_id"),
        ("activityTypeId", "activity_type_id"),
        ("marketoGUID", "marketo_guid"),
        ("converted_contact_id", "converted_contact_id"),
        ("_fivetran_synced", "_fivetran_synced"),
        ("\ufeffId", "id"),
        (" Billing Country ", "billing_country"),
        ("utm-campaign", "utm_campaign"),
    ],
)
def test_headers_fold_to_snake_case(header: str, expected: str) -> None:
    assert to_snake_case(header) == expected

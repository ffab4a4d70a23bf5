"""Column kinds of every extract, in file column order; everything not listed is text."""

from __future__ import annotations

_AUDIT = {"IsDeleted": "bool", "CreatedDate": "ts", "SystemModstamp": "ts"}

CRM_TYPES: dict[str, dict[str, str]] = {
    "user": {"IsActive": "bool", "CreatedDate": "ts", "SystemModstamp": "ts"},
    "account": {"NumberOfEmployees": "int", "AnnualRevenue": "float", **_AUDIT},
    "contact": {"HasOptedOutOfEmail": "bool", **_AUDIT},
    "lead": {
        "NumberOfEmployees": "int",
        "IsConverted": "bool",
        "ConvertedDate": "date",
        "HasOptedOutOfEmail": "bool",
        **_AUDIT,
    },
    "opportunity": {"Amount": "float", "IsClosed": "bool", "IsWon": "bool", "CloseDate": "date", **_AUDIT},
    "opportunity_contact_role": {"IsPrimary": "bool", **_AUDIT},
    "campaign": {"StartDate": "date", "EndDate": "date", **_AUDIT},
    "campaign_member": {"HasResponded": "bool", "FirstRespondedDate": "date", **_AUDIT},
    "task": {"CallDurationInSeconds": "int", "ActivityDate": "date", **_AUDIT},
    "mql_disposition": {"MQL_Date__c": "date", "Disposition_Date__c": "date", **_AUDIT},
}
MAP_LEAD_TYPES = {
    "id": "int",
    "numberOfEmployees": "int",
    "unsubscribed": "bool",
    "emailInvalid": "bool",
    "createdAt": "ts",
    "updatedAt": "ts",
}

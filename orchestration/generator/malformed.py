"""Deliberately malformed CRM rows: extra records that nothing references, each with one known defect.

Ingestion must quarantine them with a reason and lose nothing else; the truth manifest lists every
one (object, id, defect) so that tests can check exactly that.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from orchestration.generator.ids import sf_ids
from orchestration.generator.writers import csv_line

MALFORMED_SEQUENCE_BASE = 3_000_000_000  # far beyond any real record's sequence number
INTEGER_COLUMNS = ("NumberOfEmployees", "CallDurationInSeconds")
TEXT_COLUMNS = ("LastName", "Name", "Subject", "Title", "Role", "Status__c", "Status")
PERSON_FIELDS = {
    "FirstName": "Malformed",
    "Email": None,
    "MasterRecordId": None,
    "ConvertedContactId": None,
    "ConvertedAccountId": None,
    "ConvertedOpportunityId": None,
    "ConvertedDate": None,
    "IsConverted": "false",
    "IsDeleted": "false",
}


def malformed_lines(
    object_name: str, template: pa.Table, object_no: int, eol: str
) -> list[tuple[str, str, str]]:
    """(id, defect, raw line) for each defect that applies to this object, built from a real row's shape."""
    row = {
        k: (None if v is None else ("true" if v is True else "false" if v is False else str(v)))
        for k, v in template.to_pylist()[0].items()
    }
    for key, value in PERSON_FIELDS.items():
        if key in row:
            row[key] = value
    text_col = next(c for c in TEXT_COLUMNS if c in row)
    int_col = next((c for c in INTEGER_COLUMNS if c in row), None)
    defects = (["non_integer_number"] if int_col else []) + [
        "unparsable_date",
        "broken_quoting",
        "too_many_fields",
    ]
    ids = sf_ids(object_name, MALFORMED_SEQUENCE_BASE + object_no * 10 + np.arange(len(defects)))
    out = []
    for k, (defect, record_id) in enumerate(zip(defects, ids, strict=True)):
        values = dict(row, Id=str(record_id))
        values[text_col] = f"Malformed Row {k}"
        if "Email" in values:
            values["Email"] = f"malformed.row{object_no}{k}@example.invalid"
        if defect == "non_integer_number":
            values[int_col] = "fifty"
        if defect == "unparsable_date":
            values["CreatedDate"] = "31/02/2024"
        line = csv_line(list(values.values()), eol)
        if defect == "broken_quoting":
            line = line.replace(f'"Malformed Row {k}"', f'"Malformed" Row {k}', 1)
        if defect == "too_many_fields":
            line = line[: -len(eol)] + ',"extra","fields"' + eol
        out.append((str(record_id), defect, line))
    return out

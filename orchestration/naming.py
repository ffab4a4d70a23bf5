"""Column-name normalisation shared by ingestion and the tests.

Extracts arrive with Salesforce API names (``ConvertedContactId``, ``Custom_Field__c``),
Marketo camelCase (``sfdcLeadId``) or ELT snake_case (``converted_contact_id``,
``_fivetran_synced``). Every one of them is folded to one snake_case name so that the
raw tables have one shape whatever tool produced the file.
"""

from __future__ import annotations

import re

_ACRONYM_BOUNDARY = re.compile(r"([A-Z]+)([A-Z][a-z])")
_WORD_BOUNDARY = re.compile(r"([a-z0-9])([A-Z])")
_NON_WORD = re.compile(r"[^0-9a-zA-Z_]+")
_REPEATED_UNDERSCORE = re.compile(r"_{2,}")


def to_snake_case(name: str) -> str:
    """Fold a column name to snake_case.

    >>> to_snake_case("ConvertedContactId")
    'converted_contact_id'
    >>> to_snake_case("Tech_Stack__c")
    'tech_stack_c'
    >>> to_snake_case("_fivetran_synced")
    '_fivetran_synced'
    >>> to_snake_case("HTTPStatusCode")
    'http_status_code'
    """
    stripped = name.replace("\ufeff", "").strip()
    leading = len(stripped) - len(stripped.lstrip("_"))
    core = stripped.lstrip("_")
    core = _NON_WORD.sub("_", core)
    core = _ACRONYM_BOUNDARY.sub(r"\1_\2", core)
    core = _WORD_BOUNDARY.sub(r"\1_\2", core)
    core = _REPEATED_UNDERSCORE.sub("_", core.lower()).strip("_")
    return "_" * leading + core

"""The landing contract read from the dbt sources YAML."""

from pathlib import Path

import pytest

from orchestration.contract import get_source_object, load_contract, parse_sources_file

EXPECTED_OBJECTS = {
    ("crm", "account"),
    ("crm", "contact"),
    ("crm", "lead"),
    ("crm", "opportunity"),
    ("crm", "opportunity_contact_role"),
    ("crm", "campaign"),
    ("crm", "campaign_member"),
    ("crm", "task"),
    ("crm", "user"),
    ("crm", "mql_disposition"),
    ("map", "lead"),
    ("map", "activity"),
    ("web", "page_view"),
}


def test_contract_declares_every_source_object_of_the_issue() -> None:
    assert {(obj.system, obj.name) for obj in load_contract()} == EXPECTED_OBJECTS


def test_every_object_lands_in_its_own_folder_and_requires_its_primary_key() -> None:
    objects = load_contract()
    assert len({obj.landing for obj in objects}) == len(objects)
    for obj in objects:
        assert obj.landing == f"{obj.system}/{obj.name}"
        assert obj.primary_key in obj.required_columns


def test_lead_contract() -> None:
    lead = get_source_object("crm", "lead")
    assert lead.raw_table == "raw.crm__lead"
    assert lead.column_types["number_of_employees"] == "bigint"
    assert lead.column_types["converted_date"] == "date"
    assert set(lead.required_columns) == {"id", "last_name", "company", "created_date", "system_modstamp"}


def test_unknown_type_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "_x__sources.yml"
    path.write_text(
        "sources:\n  - name: x\n    tables:\n      - name: t\n        meta: {landing: x/t, primary_key: id}\n"
        "        columns:\n          - {name: id, data_type: uuid}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"x\.t\.id has data_type 'uuid'"):
        parse_sources_file(path)

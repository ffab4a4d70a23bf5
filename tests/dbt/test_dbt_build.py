"""`dbt build` of the staging layer and reference seeds on a throwaway DuckDB.

Raw tables are created from the landing contract exactly as ingestion creates them (declared
types, an extra VARCHAR column, the lineage columns), with a handful of hand-made rows that
exercise re-delivered versions, merged records, blank strings and messy emails and websites.
The build runs seeds, every model and data test, then every dbt unit test; any failure fails
this test with dbt's own message.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.contract import load_contract
from orchestration.settings import DBT_PROJECT_DIR

dbt_main = pytest.importorskip("dbt.cli.main")

pytestmark = pytest.mark.e2e

LINEAGE_COLUMNS = (
    ("_source_file", "varchar"),
    ("_source_line", "bigint"),
    ("_file_hash", "varchar"),
    ("_load_id", "varchar"),
    ("_loaded_at", "timestamp"),
)
T0 = "2024-01-01 10:00:00"
T1 = "2024-02-01 00:00:00"

ROWS: dict[str, list[dict[str, object]]] = {
    "crm__user": [dict(id="005A", name="Sam Seller", email="Sam@Lumenary.io", created_date=T0)],
    "crm__account": [
        dict(id="001P", name="Acme Group", website="https://www.acme.com/", owner_id="005A"),
        dict(id="001A", name="Acme", website="acme.com", parent_id="001P"),
        dict(
            id="001A",
            name="Acme Inc",
            website="http://acme.com/about?x=1",
            parent_id="001P",
            system_modstamp=T1,
        ),
        dict(id="001D", name="Acme dup", website="ACME.COM:443", is_deleted=True, master_record_id="001A"),
    ],
    "crm__contact": [
        dict(
            id="003A", account_id="001A", last_name="Doe", email=" Jane.Doe@ACME.com", title="VP Engineering"
        ),
    ],
    "crm__campaign": [dict(id="701W", name="Spring webinar", type="Webinar")],
    "crm__opportunity": [
        dict(
            id="006A",
            account_id="001A",
            stage_name="Closed Won",
            is_closed=True,
            is_won=True,
            campaign_id="701W",
        ),
    ],
    "crm__lead": [
        dict(
            id="00QA",
            last_name="Doe",
            company="ACME",
            email="jane@mail.acme.com",
            is_converted=True,
            converted_contact_id="003A",
            converted_account_id="001A",
            converted_opportunity_id="006A",
            owner_id="005A",
        ),
        dict(id="00QB", last_name="Roe", company="Globex", email="", website="", owner_id=""),
        dict(id="00QC", last_name="Roe", company="Globex", is_deleted=True, master_record_id="00QB"),
    ],
    "crm__opportunity_contact_role": [dict(id="00KA", opportunity_id="006A", contact_id="003A")],
    "crm__campaign_member": [dict(id="00vA", campaign_id="701W", lead_id="00QB", status="Attended")],
    "crm__task": [
        dict(
            id="00TA",
            who_id="003A",
            what_id="006A",
            subject="Email reply: re pricing",
            activity_date="2023-12-30",
        ),
        dict(id="00TB", who_id="00QB", what_id="001A", subject="Call: cold call", activity_date="2023-12-30"),
    ],
    "crm__mql_disposition": [
        dict(
            id="a0MA",
            lead_c="00QB",
            mql_date_c="2024-01-03",
            status_c="Rejected",
            rejection_reason_c="Bad Fit",
        ),
    ],
    "map__lead": [
        dict(id=1, email="JANE.DOE@acme.com", sfdc_contact_id="003A", created_at=T0, updated_at=T0),
        dict(id=2, email="x@gmail.com", created_at=T0, updated_at=T0),
    ],
    "map__activity": [
        dict(
            id=10,
            lead_id=1,
            activity_date=T0,
            activity_type_id=1,
            primary_attribute_value="https://x.io/pricing",
        ),
        dict(id=10, lead_id=1, activity_date=T0, activity_type_id=1, _source_file="later.csv", _loaded_at=T1),
        dict(id=11, lead_id=1, activity_date=T0, activity_type_id=32, primary_attribute_value="2"),
    ],
    "web__page_view": [
        dict(
            event_id="pv1",
            visitor_id="v1",
            viewed_at=T0,
            url="https://x.io/integrations/dbt",
            company_domain="acme.com",
        ),
    ],
}


def create_raw_tables(path: Path) -> None:
    """The raw schema as ingestion leaves it, with ROWS inserted."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema raw")
        for source_object in load_contract():
            columns = [(c.name, c.data_type) for c in source_object.columns]
            columns += [("extra_column", "varchar"), *LINEAGE_COLUMNS]
            column_sql = ", ".join(f"{name} {data_type}" for name, data_type in columns)
            con.execute(f"create table {source_object.raw_table} ({column_sql})")
            declared = {name for name, _ in columns}
            for line, row in enumerate(ROWS.get(source_object.identifier, []), start=1):
                values = {"_source_file": f"{source_object.identifier}.csv", "_source_line": line}
                values |= {"_load_id": "load-1", "_loaded_at": T0}
                values |= {k: T0 for k in ("created_date", "system_modstamp") if k in declared}
                values |= row
                names = ", ".join(values)
                placeholders = ", ".join("?" for _ in values)
                con.execute(
                    f"insert into {source_object.raw_table} ({names}) values ({placeholders})",
                    list(values.values()),
                )


def test_dbt_build_passes_on_hand_made_raw_rows(tmp_path, monkeypatch):
    warehouse = tmp_path / "warehouse.duckdb"
    create_raw_tables(warehouse)
    monkeypatch.setenv("MQA_DUCKDB_PATH", str(warehouse))
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    common = ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    common += ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"), "--quiet"]

    # Models, seeds and data tests first; then the unit tests, which need every model's relation to
    # exist (a unit test of an incremental model reads the columns of `this`).
    for args in (["build", "--exclude-resource-type", "unit_test"], ["test", "--select", "test_type:unit"]):
        result = dbt_main.dbtRunner().invoke([*args, *common])
        failures = [
            f"{r.node.unique_id}: {r.status} {r.message}"
            for r in (result.result or [])
            if str(r.status) not in ("pass", "success")
        ]
        assert result.success, result.exception or "\n".join(failures)
    # dbt-duckdb keeps its connection open in this process: open the file with the same (default) config.
    with duckdb.connect(str(warehouse)) as con:
        accounts = con.execute(
            "select account_id, account_name, website_domain from staging.stg_crm__accounts order by 1"
        ).fetchall()
        lead_domains = con.execute(
            "select lead_id, email_domain from staging.stg_crm__leads order by 1"
        ).fetchall()
    assert accounts == [
        ("001A", "Acme Inc", "acme.com"),
        ("001D", "Acme dup", "acme.com"),
        ("001P", "Acme Group", "acme.com"),
    ]
    assert lead_domains == [("00QA", "acme.com"), ("00QB", None), ("00QC", None)]

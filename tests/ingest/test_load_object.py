"""End-to-end behaviour of load_object on small hand-written files and a real DuckDB file."""

from __future__ import annotations

import gzip
import json
import re
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.contract import get_source_object
from orchestration.ingest import IngestionError, ensure_meta_tables, load_object

from .helpers import rows, snapshot, table_exists, write

LEAD = get_source_object("crm", "lead")
ACCOUNT = get_source_object("crm", "account")
MAP_LEAD = get_source_object("map", "lead")

SF_HEADER = (
    "Id,FirstName,LastName,Company,NumberOfEmployees,IsConverted,ConvertedContactId,ConvertedDate,"
    "CreatedDate,SystemModstamp"
)
ELT_HEADER = (
    "id,first_name,last_name,company,number_of_employees,is_converted,converted_contact_id,"
    "converted_date,created_date,system_modstamp"
)
ROW_1 = "00Q1,Ada,Lovelace,Acme,120,true,003A,2025-03-05,2025-03-04T10:15:00.000Z,2025-03-04T10:15:00Z"
ROW_2 = "00Q2,Alan,Turing,Bletchley,,false,,,2025-03-01T08:00:00.000Z,2025-03-02T09:30:00Z"
VALUES = ELT_HEADER.replace(",", ", ")
EXPECTED = [
    ("00Q1", "Ada", "Lovelace", "Acme", 120, True, "003A", date(2025, 3, 5),
     datetime(2025, 3, 4, 10, 15), datetime(2025, 3, 4, 10, 15)),
    ("00Q2", "Alan", "Turing", "Bletchley", None, False, None, None,
     datetime(2025, 3, 1, 8, 0), datetime(2025, 3, 2, 9, 30)),
]  # fmt: skip
GOOD_ACCOUNT = "Id,Name,NumberOfEmployees,CreatedDate,SystemModstamp\n"


def lead_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return rows(con, f"SELECT {VALUES} FROM raw.crm__lead ORDER BY id")


def quarantine(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return rows(
        con,
        "SELECT file_path, line_number, column_name, error_type, rule, raw_record "
        "FROM meta.quarantine ORDER BY line_number",
    )


def ledger(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return rows(
        con,
        "SELECT file_path, status, rows_read, rows_loaded, rows_quarantined "
        "FROM meta.load_ledger ORDER BY started_at, file_path",
    )


# --- dialects and encodings -------------------------------------------------------------------------


def test_salesforce_and_elt_dialects_load_to_the_same_rows(con, landing, tmp_path):
    write(landing, "crm/lead/sf.csv", f"{SF_HEADER}\n{ROW_1}\n{ROW_2}\n")
    report = load_object(con, LEAD, landing)
    assert (report.files_loaded, report.rows_loaded, report.rows_quarantined) == (1, 2, 0)
    assert lead_rows(con) == EXPECTED

    other = duckdb.connect(str(tmp_path / "other.duckdb"))
    other_landing = tmp_path / "other_landing"
    write(other_landing, "crm/lead/elt.csv", f"{ELT_HEADER}\n{ROW_1}\n{ROW_2}\n")
    load_object(other, LEAD, other_landing)
    assert lead_rows(other) == EXPECTED
    other.close()


def test_raw_table_has_contract_types_and_metadata(con, landing):
    write(landing, "crm/lead/2025/03/sf.csv", f"{SF_HEADER}\n{ROW_1}\n{ROW_2}\n")
    report = load_object(con, LEAD, landing)
    types = dict(
        rows(
            con,
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'crm__lead'",
        )
    )
    assert types["number_of_employees"] == "BIGINT"
    assert types["converted_date"] == "DATE"
    assert types["created_date"] == "TIMESTAMP"
    assert types["is_converted"] == "BOOLEAN"
    assert types["_loaded_at"] == "TIMESTAMP"
    meta = rows(con, "SELECT _source_file, _source_line, _file_hash, _load_id FROM raw.crm__lead ORDER BY id")
    file = report.files[0]
    assert meta == [
        ("crm/lead/2025/03/sf.csv", 2, file.file_hash, file.load_id),
        ("crm/lead/2025/03/sf.csv", 3, file.file_hash, file.load_id),
    ]
    assert ledger(con) == [("crm/lead/2025/03/sf.csv", "loaded", 2, 2, 0)]
    assert json.dumps(report.summary())  # JSON-serialisable for Dagster metadata


def test_bom_and_crlf(con, landing):
    write(landing, "crm/lead/bom.csv", b"\xef\xbb\xbf" + f"{SF_HEADER}\r\n{ROW_1}\r\n{ROW_2}\r\n".encode())
    load_object(con, LEAD, landing)
    assert lead_rows(con) == EXPECTED  # no BOM in the first column name, no \r in the last value


def test_quoted_newline_inside_a_field(con, landing):
    header = "Id,LastName,Company,Title,CreatedDate,SystemModstamp\r\n"
    body = (
        '1,Doe,Acme,"Head of\r\nData, ""EMEA""",2025-03-04T10:15:00Z,2025-03-04T10:15:00Z\r\n'
        "2,Roe,Beta,CTO,2025-03-04T10:15:00Z,2025-03-04T10:15:00Z\r\n"
    )
    write(landing, "crm/lead/q.csv", header + body)
    load_object(con, LEAD, landing)
    assert rows(con, "SELECT id, title, _source_line FROM raw.crm__lead ORDER BY id") == [
        ("1", 'Head of\r\nData, "EMEA"', 2),
        ("2", "CTO", 4),  # the first record spans lines 2-3
    ]


def test_gzipped_csv(con, landing):
    write(landing, "crm/lead/a.csv.gz", gzip.compress(f"{SF_HEADER}\n{ROW_1}\n{ROW_2}\n".encode()))
    load_object(con, LEAD, landing)
    assert lead_rows(con) == EXPECTED


def test_parquet(con, landing):
    table = pa.table(
        {
            "Id": ["00Q1", "00Q2"],
            "FirstName": ["Ada", "Alan"],
            "LastName": ["Lovelace", "Turing"],
            "Company": ["Acme", "Bletchley"],
            "NumberOfEmployees": pa.array([120, None], pa.int32()),
            "IsConverted": [True, False],
            "ConvertedContactId": ["003A", None],
            "ConvertedDate": ["2025-03-05", None],  # text dates are checked and cast
            "CreatedDate": [datetime(2025, 3, 4, 10, 15), datetime(2025, 3, 1, 8, 0)],
            "SystemModstamp": ["2025-03-04T10:15:00.000Z", "2025-03-02T09:30:00Z"],
        }
    )
    (landing / "crm/lead").mkdir(parents=True)
    pq.write_table(table, landing / "crm/lead/a.parquet")
    report = load_object(con, LEAD, landing)
    assert report.rows_loaded == 2
    assert lead_rows(con) == EXPECTED
    assert rows(con, "SELECT _source_line FROM raw.crm__lead ORDER BY id") == [(1,), (2,)]


def test_parquet_bad_value_is_quarantined(con, landing):
    table = pa.table(
        {
            "id": ["A1", "A2", "A3"],
            "name": ["x", "y", "z"],
            "number_of_employees": ["10", "fifty", "30"],
            "created_date": ["2025-03-04T10:15:00Z"] * 3,
            "system_modstamp": ["2025-03-04T10:15:00Z"] * 3,
        }
    )
    (landing / "crm/account").mkdir(parents=True)
    pq.write_table(table, landing / "crm/account/a.parquet")
    report = load_object(con, ACCOUNT, landing)
    assert (report.rows_loaded, report.rows_quarantined) == (2, 1)
    assert rows(con, "SELECT id, number_of_employees, _source_line FROM raw.crm__account ORDER BY id") == [
        ("A1", 10, 1),
        ("A3", 30, 3),
    ]
    [(path, line, column, error_type, rule, record)] = quarantine(con)
    assert (path, line, column, error_type) == (
        "crm/account/a.parquet",
        2,
        "number_of_employees",
        "invalid_value",
    )
    assert rule == "column number_of_employees: 'fifty' is not a valid BIGINT"
    assert json.loads(record)["id"] == "A2"


def test_json_lines_with_malformed_line(con, landing):
    lines = [
        {"id": 1, "email": "a@x.com", "createdAt": "2025-03-04T10:15:00Z",
         "updatedAt": "2025-03-04T10:15:00Z", "unsubscribed": True},
        None,  # malformed line 2
        {"id": "two", "createdAt": "2025-03-04T10:15:00Z", "updatedAt": "2025-03-04T10:15:00Z"},
        {"id": 3, "createdAt": "2025-03-04", "updatedAt": "2025-03-05T00:00:00Z", "leadScore": 42},
    ]  # fmt: skip
    text = "\n".join('{"id": 9, "email": ' if line is None else json.dumps(line) for line in lines) + "\n"
    write(landing, "map/lead/a.jsonl", text)
    report = load_object(con, MAP_LEAD, landing)
    assert (report.rows_loaded, report.rows_quarantined) == (2, 2)
    loaded = "SELECT id, email, unsubscribed, created_at, lead_score, _source_line FROM raw.map__lead"
    assert rows(con, loaded + " ORDER BY id") == [
        (1, "a@x.com", True, datetime(2025, 3, 4, 10, 15), None, 1),
        (3, None, None, datetime(2025, 3, 4), "42", 4),  # extra key kept as text
    ]  # fmt: skip
    assert [(q[1], q[2], q[3], q[4]) for q in quarantine(con)] == [
        (2, None, "malformed_json", "malformed JSON"),
        (3, "id", "invalid_value", "column id: 'two' is not a valid BIGINT"),
    ]


# --- columns ---------------------------------------------------------------------------------------


def test_extra_column_kept_and_missing_optional_tolerated(con, landing):
    write(
        landing,
        "crm/account/a.csv",
        "Id,Name,CreatedDate,SystemModstamp,Tier__c\nA1,Acme,2025-03-04,2025-03-04,Gold\n",
    )
    load_object(con, ACCOUNT, landing)
    assert rows(con, "SELECT id, tier_c, website, number_of_employees FROM raw.crm__account") == [
        ("A1", "Gold", None, None)
    ]


def test_second_file_adds_a_column(con, landing):
    write(landing, "crm/account/1.csv", GOOD_ACCOUNT + "A1,Acme,5,2025-03-04,2025-03-04\n")
    write(
        landing,
        "crm/account/2.csv",
        "Id,Name,CreatedDate,SystemModstamp,Region__c\nA2,Beta,2025-03-04,2025-03-04,EMEA\n",
    )
    load_object(con, ACCOUNT, landing)
    assert rows(con, "SELECT id, region_c FROM raw.crm__account ORDER BY id") == [
        ("A1", None),
        ("A2", "EMEA"),
    ]


def test_two_headers_folding_to_the_same_name_fail(con, landing):
    write(
        landing,
        "crm/account/a.csv",
        "Id,Name,NumberOfEmployees,number_of_employees,CreatedDate,SystemModstamp\n",
    )
    with pytest.raises(IngestionError, match="'NumberOfEmployees' and 'number_of_employees'"):
        load_object(con, ACCOUNT, landing)


def test_missing_required_column_names_file_and_column_and_changes_nothing(con, landing):
    write(landing, "crm/account/1.csv", GOOD_ACCOUNT + "A1,Acme,5,2025-03-04,2025-03-04\n")
    load_object(con, ACCOUNT, landing)
    before = snapshot(con, "raw.crm__account")
    write(
        landing,
        "crm/account/2.csv",
        "Id,NumberOfEmployees,CreatedDate,SystemModstamp,New__c\nA2,5,2025-03-04,2025-03-04,x\n",
    )
    with pytest.raises(IngestionError) as raised:
        load_object(con, ACCOUNT, landing)
    assert "crm/account/2.csv" in str(raised.value)
    assert "required column name missing" in str(raised.value)
    assert snapshot(con, "raw.crm__account") == before
    assert "new_c" not in {r[0] for r in rows(con, "DESCRIBE raw.crm__account")}  # DDL rolled back too
    assert ledger(con)[-1][:2] == ("crm/account/2.csv", "failed")


# --- bad rows --------------------------------------------------------------------------------------


def test_bad_rows_are_quarantined_with_line_column_and_reason(con, landing):
    content = (
        "Id,Name,NumberOfEmployees,CreatedDate,SystemModstamp\n"  # 1
        "A1,Acme,10,2025-03-04T10:15:00Z,2025-03-04T10:15:00Z\n"  # 2
        "A2,Beta,fifty,2025-03-04T10:15:00Z,2025-03-04T10:15:00Z\n"  # 3 wrong type
        'A3,"Multi\nline",30,2025-03-04T10:15:00Z,2025-03-04T10:15:00Z\n'  # 4-5
        "A4,Delta,40,2025-02-30,2025-03-04T10:15:00Z\n"  # 6 unparsable date
        'A5,"Eps"ilon,50,2025-03-04T10:15:00Z,2025-03-04T10:15:00Z\n'  # 7 broken quoting
        "A6,Zeta,60,2025-03-04T10:15:00Z,2025-03-04T10:15:00Z,surplus\n"  # 8 too many fields
        "A7,Eta,70,2025-03-04T10:15:00Z,2025-03-04T10:15:00Z\n"  # 9
    )
    write(landing, "crm/account/bad.csv", content)
    report = load_object(con, ACCOUNT, landing)
    assert (report.rows_loaded, report.rows_quarantined) == (3, 4)
    assert rows(con, "SELECT id, _source_line FROM raw.crm__account ORDER BY id") == [
        ("A1", 2),
        ("A3", 4),
        ("A7", 9),
    ]
    assert quarantine(con) == [
        ("crm/account/bad.csv", 3, "number_of_employees", "invalid_value",
         "column number_of_employees: 'fifty' is not a valid BIGINT",
         "A2,Beta,fifty,2025-03-04T10:15:00Z,2025-03-04T10:15:00Z"),
        ("crm/account/bad.csv", 6, "created_date", "invalid_value",
         "column created_date: '2025-02-30' is not a valid TIMESTAMP",
         "A4,Delta,40,2025-02-30,2025-03-04T10:15:00Z"),
        ("crm/account/bad.csv", 7, "name", "broken_quoting",
         "broken quoting in column name: a quoted value is not closed or has text after its closing quote",
         'A5,"Eps"ilon,50,2025-03-04T10:15:00Z,2025-03-04T10:15:00Z'),
        ("crm/account/bad.csv", 8, None, "too_many_fields", "too many fields: expected 5, found 6",
         "A6,Zeta,60,2025-03-04T10:15:00Z,2025-03-04T10:15:00Z,surplus"),
    ]  # fmt: skip
    assert ledger(con) == [("crm/account/bad.csv", "loaded", 7, 3, 4)]


def test_a_record_with_several_surplus_fields_is_one_problem(con, landing):
    content = (
        "Id,Name,CreatedDate,SystemModstamp\n"  # 1
        "A1,Acme,2025-03-04,2025-03-04\n"  # 2
        "A2,Beta,2025-03-04,2025-03-04,x,y\n"  # 3: two fields too many, one bad record
    )
    write(landing, "crm/account/wide.csv", content)
    report = load_object(con, ACCOUNT, landing)
    assert (report.rows_loaded, report.rows_quarantined) == (1, 1)
    assert [row[1:4] for row in quarantine(con)] == [(3, None, "too_many_fields")]


def test_empty_fields_are_null(con, landing):
    write(
        landing,
        "crm/account/a.csv",
        "Id,Name,Website,NumberOfEmployees,IsDeleted,CreatedDate,SystemModstamp\nA1,Acme,,,,2025-03-04,2025-03-04\n",
    )
    load_object(con, ACCOUNT, landing)
    assert rows(con, "SELECT website, number_of_employees, is_deleted FROM raw.crm__account") == [
        (None, None, None)
    ]


# --- whole-file failures ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.csv", b"", "empty file (0 bytes)"),
        ("header_only.csv", GOOD_ACCOUNT.encode(), "no data rows"),
        (
            "latin1.csv",
            GOOD_ACCOUNT.encode() + "A1,Société,5,2025-03-04,2025-03-04\n".encode("latin-1"),
            "not valid UTF-8",
        ),
        ("garbage.csv", bytes(range(256)) * 4, "binary content"),
        ("garbage.parquet", b"PAR1 this is not parquet", "not a readable Parquet file"),
        (
            "all_bad.csv",
            (GOOD_ACCOUNT + "A1,Acme,many,2025-03-04,2025-03-04\n").encode(),
            "no record could be loaded",
        ),
        ("notes.xlsx", b"PK\x03\x04", "unsupported file type"),
    ],
)
def test_unloadable_file_fails_and_leaves_nothing(con, landing, name, content, reason):
    write(landing, f"crm/account/{name}", content)
    with pytest.raises(IngestionError, match=re.escape(reason)) as raised:
        load_object(con, ACCOUNT, landing)
    assert f"crm/account/{name}" in str(raised.value)
    assert raised.value.report.files_failed == 1
    assert not table_exists(con, "raw", "crm__account") or rows(
        con, "SELECT count(*) FROM raw.crm__account"
    ) == [(0,)]
    assert quarantine(con) == []
    assert [r[:2] for r in ledger(con)] == [(f"crm/account/{name}", "failed")]


def test_file_failing_in_the_middle_leaves_nothing_behind(con, landing, monkeypatch):
    """Raw rows and quarantine rows are already written when the failure hits: all rolled back."""
    from orchestration.ingest import ledger as ledger_module

    write(
        landing,
        "crm/account/a.csv",
        GOOD_ACCOUNT + "A1,Acme,5,2025-03-04,2025-03-04\nA2,Beta,x,2025-03-04,2025-03-04\n",
    )
    real_record = ledger_module.record

    def failing_record(con, entry):
        if entry.status == "loaded":
            raise RuntimeError("disk full")
        real_record(con, entry)

    monkeypatch.setattr(ledger_module, "record", failing_record)
    with pytest.raises(IngestionError, match="disk full"):
        load_object(con, ACCOUNT, landing)
    assert (
        rows(con, "SELECT count(*) FROM raw.crm__account") == [(0,)]
        if table_exists(con, "raw", "crm__account")
        else True
    )
    assert quarantine(con) == []
    assert [r[:2] for r in ledger(con)] == [("crm/account/a.csv", "failed")]

    monkeypatch.setattr(ledger_module, "record", real_record)
    report = load_object(con, ACCOUNT, landing)  # the failed attempt does not count as loaded
    assert (report.files_loaded, report.rows_loaded, report.rows_quarantined) == (1, 1, 1)


# --- re-delivery and recovery ---------------------------------------------------------------------


def test_duplicate_delivery_is_a_no_op(con, landing):
    content = GOOD_ACCOUNT + "A1,Acme,5,2025-03-04,2025-03-04\nA2,Beta,x,2025-03-04,2025-03-04\n"
    write(landing, "crm/account/a.csv", content)
    first = load_object(con, ACCOUNT, landing)
    state = [snapshot(con, t) for t in ("raw.crm__account", "meta.quarantine", "meta.load_ledger")]

    again = load_object(con, ACCOUNT, landing)  # same file twice
    write(landing, "crm/account/renamed/copy.csv", content)  # same content under another name
    renamed = load_object(con, ACCOUNT, landing)

    assert [f.status for f in again.files] == ["skipped"]
    assert [f.status for f in renamed.files] == ["skipped", "skipped"]
    assert renamed.files[1].load_id == first.files[0].load_id
    assert [snapshot(con, t) for t in ("raw.crm__account", "meta.quarantine", "meta.load_ledger")] == state


def test_failed_file_fixed_and_redelivered_loads(con, landing):
    bad = write(landing, "crm/account/a.csv", "Id,CreatedDate,SystemModstamp\nA1,2025-03-04,2025-03-04\n")
    with pytest.raises(IngestionError, match="name"):
        load_object(con, ACCOUNT, landing)
    bad.write_text(GOOD_ACCOUNT + "A1,Acme,5,2025-03-04,2025-03-04\n")
    report = load_object(con, ACCOUNT, landing)
    assert report.files_loaded == 1
    assert rows(con, "SELECT id, name FROM raw.crm__account") == [("A1", "Acme")]
    assert [r[:2] for r in ledger(con)] == [("crm/account/a.csv", "failed"), ("crm/account/a.csv", "loaded")]


def test_good_files_commit_when_another_fails(con, landing):
    write(landing, "crm/account/1.csv", GOOD_ACCOUNT + "A1,Acme,5,2025-03-04,2025-03-04\n")
    write(
        landing,
        "crm/account/2.csv",
        "Id,NumberOfEmployees,CreatedDate,SystemModstamp\nA2,5,2025-03-04,2025-03-04\n",
    )
    write(landing, "crm/account/3.csv", GOOD_ACCOUNT + "A3,Gamma,7,2025-03-04,2025-03-04\n")
    with pytest.raises(IngestionError) as raised:
        load_object(con, ACCOUNT, landing)
    report = raised.value.report
    assert [(f.path, f.status) for f in report.files] == [
        ("crm/account/1.csv", "loaded"),
        ("crm/account/2.csv", "failed"),
        ("crm/account/3.csv", "loaded"),
    ]
    assert "crm/account/2.csv: required column name missing from the file" in str(raised.value)
    assert rows(con, "SELECT id FROM raw.crm__account ORDER BY id") == [("A1",), ("A3",)]


def test_ensure_meta_tables_is_idempotent(con):
    ensure_meta_tables(con)
    ensure_meta_tables(con)
    assert table_exists(con, "meta", "load_ledger")
    assert table_exists(con, "meta", "quarantine")


def test_no_landing_folder_means_nothing_to_do(con, landing: Path):
    report = load_object(con, ACCOUNT, landing)
    assert report.files_seen == 0


def test_raw_table_exists_before_any_file_lands(con, tmp_path):
    """Staging views read every raw table, so an object with no delivery yet still has an empty one."""
    from orchestration.contract import get_source_object
    from orchestration.ingest import load_object

    report = load_object(con, get_source_object("web", "page_view"), tmp_path)
    assert report.files_seen == 0
    columns = {row[0] for row in con.execute("describe raw.web__page_view").fetchall()}
    assert {"event_id", "viewed_at", "_loaded_at"} <= columns
    assert con.execute("select count(*) from raw.web__page_view").fetchall() == [(0,)]
